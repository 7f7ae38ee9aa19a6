package io.portwatch.collector.alert.notify;

import static io.portwatch.collector.alert.notify.NotifierReceivers.await;
import static io.portwatch.collector.alert.notify.NotifierReceivers.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outbox end to end: the engine's sink, the leader's worker, real receivers on loopback. */
@QuarkusTest
class NotificationDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    NotificationSink sink;

    private void enqueue(AlertNotification n) {
        QuarkusTransaction.requiringNew().run(() -> sink.enqueue(n));
    }

    private static List<Map<String, Object>> received(String path, AlertNotification n) {
        return NotifierReceivers.http(path, body -> body.contains(n.dedupeKey()));
    }

    private static void awaitDelivered(long alertId, int rows) {
        await(rows + " delivered outbox rows of alert " + alertId, WAIT, () -> {
            List<Map<String, Object>> outbox = Notifications.outbox(alertId);
            return outbox.size() == rows && outbox.stream().allMatch(r -> "DELIVERED".equals(r.get("status")));
        });
    }

    @Test
    void theOutboxReplacesTheLoggingDefault() {
        assertInstanceOf(OutboxNotificationSink.class, sink);
    }

    @Test
    void webhookIsSignedWithTheSecretAndCarriesTheAlert() throws Exception {
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-webhook");
        enqueue(n);
        await("the webhook", WAIT, () -> !received("/webhook", n).isEmpty());
        Map<String, Object> request = received("/webhook", n).get(0);
        String body = (String) request.get("body");
        String expected = "sha256=" + WebhookNotifier.hmacSha256Hex(NotifierReceivers.SECRET, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, header(request, "X-Portwatch-Signature"));
        // the signature is independent of our own helper: recompute with the JDK directly
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("test-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals("sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))),
                header(request, "X-Portwatch-Signature"));
        JsonPath json = Notifications.json(request);
        assertEquals("FIRING", json.getString("event"));
        assertEquals("PORT", json.getString("kind"));
        assertEquals("web-down", json.getString("rule"));
        assertEquals("critical", json.getString("severity"));
        assertEquals("tcp/443 on web1 CLOSED (refused) seen by 2 agents", json.getString("summary"));
        assertEquals("443", json.getString("labels.port"));
        assertEquals("2026-12-01T10:00:00Z", json.getString("startedAt"));
        assertNull(json.get("endedAt"));
        assertEquals(n.dedupeKey(), json.getString("dedupeKey"));
        assertEquals(alert, json.getLong("alertId"));
        assertFalse(body.contains("channels"), "routing is not part of the payload");
        awaitDelivered(alert, 1);
        Map<String, Object> row = Notifications.outbox(alert).get(0);
        assertEquals(String.valueOf(row.get("id")), header(request, "X-Portwatch-Delivery"));
        assertEquals(1, row.get("attempts"));
        assertEquals(n.dedupeKey() + "/test-webhook", row.get("dedupeKey"));
    }

    @Test
    void unsignedWebhookHasNoSignatureHeader() {
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-flaky");
        enqueue(n);
        await("the unsigned webhook", WAIT, () -> !received("/flaky", n).isEmpty());
        assertNull(header(received("/flaky", n).get(0), "X-Portwatch-Signature"));
    }

    @Test
    void slackGetsTextAndAColouredAttachment() {
        long alert = Notifications.newAlertId();
        AlertNotification firing = Notifications.of(alert, Event.FIRING, "test-slack");
        AlertNotification resolved = Notifications.of(alert, Event.RESOLVED, "test-slack");
        enqueue(firing);
        enqueue(resolved);
        awaitDelivered(alert, 2);
        List<Map<String, Object>> messages = NotifierReceivers.http("/slack", b -> b.contains("alert-" + alert + ":"));
        assertEquals(2, messages.size());
        JsonPath first = Notifications.json(messages.stream().filter(m -> ((String) m.get("body")).contains("[FIRING]")).findFirst().orElseThrow());
        assertEquals("[FIRING] tcp/443 on web1 CLOSED (refused) seen by 2 agents", first.getString("text"));
        assertEquals("#d63232", first.getString("attachments[0].color"));
        assertEquals("FIRING: web-down", first.getString("attachments[0].title"));
        assertTrue(first.getList("attachments[0].fields.title").contains("target"));
        assertEquals(true, first.getBoolean("attachments[0].fields[0].short"));
        JsonPath second = Notifications.json(messages.stream().filter(m -> ((String) m.get("body")).contains("[RESOLVED]")).findFirst().orElseThrow());
        assertEquals("#2eb886", second.getString("attachments[0].color"));
    }

    @Test
    void alertmanagerGetsV2AlertsRefreshedWhileFiringAndAResolveWithEndsAt() throws InterruptedException {
        long alert = Notifications.newAlertId();
        java.util.function.Supplier<List<Map<String, Object>>> posts = () -> NotifierReceivers.http("/am/api/v2/alerts",
                b -> b.contains("\"portwatch_alert_id\":\"" + alert + "\""));
        enqueue(Notifications.of(alert, Event.FIRING, "test-alertmanager"));
        awaitDelivered(alert, 1);
        JsonPath firing = Notifications.json(posts.get().get(0));
        assertEquals(1, firing.getList("$").size(), "the body is an array of alerts");
        assertEquals("web-down", firing.getString("[0].labels.alertname"));
        assertEquals("critical", firing.getString("[0].labels.severity"));
        assertEquals("web1", firing.getString("[0].labels.target"));
        assertEquals("tcp/443 on web1 CLOSED (refused) seen by 2 agents", firing.getString("[0].annotations.summary"));
        assertEquals("2026-12-01T10:00:00Z", firing.getString("[0].startsAt"));
        assertFalse(firing.getMap("[0]").containsKey("endsAt"), "a firing alert has no end");
        assertEquals("http://collector.test/api/v1/alerts/" + alert, firing.getString("[0].generatorURL"));

        // portwatch.outbox.alertmanager-refresh=2s in the tests: the firing alert is sent again
        await("a refresh of the firing alert", WAIT, () -> posts.get().size() >= 2);
        assertFalse(((String) posts.get().get(1).get("body")).contains("endsAt"));

        enqueue(Notifications.of(alert, Event.RESOLVED, "test-alertmanager"));
        awaitDelivered(alert, 2);
        List<Map<String, Object>> afterResolve = posts.get();
        Map<String, Object> last = afterResolve.get(afterResolve.size() - 1);
        JsonPath resolved = Notifications.json(last);
        assertEquals("2026-12-01T10:05:00Z", resolved.getString("[0].endsAt"));
        assertEquals(firing.getMap("[0].labels"), resolved.getMap("[0].labels"), "a resolve names the same alert");
        Thread.sleep(4500); // two refresh periods: a resolved alert is not refreshed
        assertEquals(afterResolve.size(), posts.get().size());
    }

    @Test
    void emailGoesThroughSmtpWithTheEventInTheSubject() {
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-email");
        enqueue(n);
        awaitDelivered(alert, 1);
        List<Map<String, Object>> mails = NotifierReceivers.mails(d -> d.contains(n.dedupeKey()));
        assertEquals(1, mails.size());
        Map<String, Object> mail = mails.get(0);
        assertEquals("<alerts@portwatch.test>", mail.get("from"));
        assertEquals(List.of("<ops@portwatch.test>", "<oncall@portwatch.test>"), mail.get("to"));
        String data = (String) mail.get("data");
        assertTrue(data.contains("Subject: [FIRING] tcp/443 on web1 CLOSED (refused) seen by 2 agents"), data);
        assertTrue(data.contains("Rule: web-down"), data);
    }

    @Test
    void aFailingReceiverIsRetriedUntilItAccepts() {
        NotifierReceivers.failFlakyTimes(2);
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-flaky");
        enqueue(n);
        awaitDelivered(alert, 1);
        Map<String, Object> row = Notifications.outbox(alert).get(0);
        assertEquals(3, row.get("attempts"));
        assertNull(row.get("lastError"), "a delivered row has no error left");
        List<Map<String, Object>> tries = received("/flaky", n);
        assertEquals(3, tries.size());
        assertEquals(1, tries.stream().map(t -> header(t, "X-Portwatch-Delivery")).distinct().count(),
                "every retry carries the same delivery id");
    }

    @Test
    void aReceiverThatNeverAcceptsEndsFailedWithItsError() {
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-refuse");
        enqueue(n);
        await("the row to fail", WAIT, () -> "FAILED".equals(Notifications.outbox(alert).get(0).get("status")));
        Map<String, Object> row = Notifications.outbox(alert).get(0);
        assertEquals(4, row.get("attempts"), "portwatch.outbox.max-attempts=4 in the tests");
        assertTrue(((String) row.get("lastError")).matches("HTTP 500 from http://127\\.0\\.0\\.1:\\d+: receiver says no"),
                (String) row.get("lastError"));
        assertEquals(4, received("/refuse", n).size());
        io.restassured.RestAssured.given().queryParam("status", "failed").when().get("/api/v1/notifications")
                .then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(row.get("id")));
    }

    @Test
    void aNotificationEnqueuedTwiceIsDeliveredOnce() throws InterruptedException {
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-webhook");
        enqueue(n);
        enqueue(n);
        awaitDelivered(alert, 1);
        Thread.sleep(1500); // more than a poll: a second row would have been sent by now
        assertEquals(1, received("/webhook", n).size());
        assertEquals(1, Notifications.outbox(alert).size());
    }

    @Test
    void oneRowPerChannelAndTheDefaultWhenTheRuleNamesNone() {
        long alert = Notifications.newAlertId();
        enqueue(Notifications.of(alert, Event.FIRING, "test-webhook", "test-slack"));
        enqueue(Notifications.of(alert, Event.RESOLVED));
        awaitDelivered(alert, 3);
        List<String> channels = Notifications.outbox(alert).stream().map(r -> (String) r.get("channel")).sorted().toList();
        assertEquals(List.of("test-slack", "test-webhook", "test-webhook"), channels);
    }

    @Inject
    OutboxMaintenance maintenance;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void oldRowsArePurgedExceptTheOneThatKeepsAnAlertFiring() throws Exception {
        long over = Notifications.newAlertId();
        long firing = Notifications.newAlertId();
        enqueue(Notifications.of(over, Event.FIRING, "test-webhook"));
        enqueue(Notifications.of(over, Event.RESOLVED, "test-webhook"));
        enqueue(Notifications.of(firing, Event.FIRING, "test-webhook"));
        awaitDelivered(over, 2);
        awaitDelivered(firing, 1);
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement age = c.prepareStatement("update notification_outbox"
                        + " set created_at = created_at - interval '31 days' where alert_id in (?, ?)")) {
            age.setLong(1, over);
            age.setLong(2, firing);
            assertEquals(3, age.executeUpdate());
        }
        maintenance.purge();
        assertEquals(0, Notifications.outbox(over).size(), "30 days after, a resolved alert's rows go");
        assertEquals(1, Notifications.outbox(firing).size(), "the row of a still firing alert stays");
    }

    @Test
    void aRolledBackTransactionLeavesNothingToSend() {
        long alert = Notifications.newAlertId();
        // the engine fails after enqueuing: its alert state and the notification go together
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            sink.enqueue(Notifications.of(alert, Event.FIRING, "test-webhook"));
            throw new IllegalStateException("the engine failed after enqueuing");
        }));
        assertEquals(0, Notifications.outbox(alert).size());
    }

    @Test
    void anUnknownChannelIsRetriedWithTheReason() {
        long alert = Notifications.newAlertId();
        enqueue(Notifications.of(alert, Event.FIRING, "nobody"));
        await("an attempt", WAIT, () -> ((Integer) Notifications.outbox(alert).get(0).get("attempts")) >= 1);
        Map<String, Object> row = Notifications.outbox(alert).get(0);
        assertEquals("no notifier named \"nobody\" is configured (portwatch.notifiers.\"nobody\".type)", row.get("lastError"));
    }
}
