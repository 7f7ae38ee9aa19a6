package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.portwatch.collector.alert.AlertFixture.alertsAbout;
import static io.portwatch.collector.alert.AlertFixture.events;
import static io.portwatch.proto.v1.PortState.CLOSED;
import static io.portwatch.proto.v1.PortState.OPEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.alert.notify.AlertNotification;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.security.ApiKeyRequests;
import io.portwatch.collector.security.Role;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default rule (after 3, recover after 1) driven through real gRPC ingest and read through the API. */
@QuarkusTest
@TestProfile(AlertTestProfile.class)
class AlertLifecycleTest extends ApiKeyRequests {

    AlertLifecycleTest() {
        super(Role.ADMIN); // writes need a key
    }

    @Inject
    AlertEngine engine;

    @Inject
    RecordingNotificationSink sink;

    private final Instant t0 = Instant.now().minusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    @Test
    void aClosedPortIsPendingThenFiresOnTheThirdResultAndResolvesOnce() throws Exception {
        CheckInstance web = instance("web", "life.test", Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "life-a1", List.of(web))) {
            agent.send(web, t0, OPEN);
            assertTrue(alertsAbout("life.test").isEmpty(), "a healthy port has no alert");

            agent.send(web, t0.plusSeconds(10), CLOSED);
            List<Map<String, Object>> pending = AlertFixture.alertsAbout("life.test", "PENDING");
            assertEquals(1, pending.size());
            assertEquals("default", pending.get(0).get("rule"));
            given().when().get("/api/v1/alerts?state=pending").then().statusCode(200);

            agent.send(web, t0.plusSeconds(20), CLOSED);
            assertEquals(List.of(), events(sink, "default", "life.test"), "pending is not notified");

            agent.send(web, t0.plusSeconds(30), CLOSED);
            assertEquals(List.of(Event.FIRING), events(sink, "default", "life.test"), "fires on the third result");
            Object id = alertsAbout("life.test", "FIRING").get(0).get("id");
            given().when().get("/api/v1/alerts/" + id).then().statusCode(200)
                    .body("kind", equalTo("PORT"))
                    .body("severity", equalTo("warning"))
                    .body("summary", equalTo("tcp/8443 on life.test is CLOSED (refused), seen by life-a1"))
                    .body("voters", equalTo(List.of("life-a1")))
                    .body("labels.check", equalTo("web"))
                    .body("labels.port", equalTo("8443"))
                    .body("startedAt", equalTo(t0.plusSeconds(10).toString()))
                    .body("firedAt", equalTo(t0.plusSeconds(30).toString()));

            agent.send(web, t0.plusSeconds(40), CLOSED);
            assertEquals(List.of(Event.FIRING), events(sink, "default", "life.test"), "fires once");

            agent.send(web, t0.plusSeconds(50), OPEN);
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "default", "life.test"));
            given().when().get("/api/v1/alerts/" + id).then().statusCode(200)
                    .body("state", equalTo("RESOLVED"))
                    .body("endedAt", equalTo(t0.plusSeconds(50).toString()))
                    .body("durationMs", equalTo(40_000))
                    .body("lastState", equalTo("OPEN"))
                    .body("lastReason", equalTo("connected"));
            AlertNotification resolved = sink.matching(n -> n.alertId() == ((Number) id).longValue()
                    && n.event() == Event.RESOLVED).get(0);
            assertEquals("alert-" + id + ":resolved", resolved.dedupeKey());
            assertEquals(t0.plusSeconds(50), resolved.endedAt());
        }
        given().when().get("/api/v1/alerts?state=resolved").then().statusCode(200).body("size()", greaterThan(0));
    }

    /**
     * Health follows what the check declared: a port that accepts the connection but answers the
     * wrong banner stays OPEN, and is unhealthy, so the default rule fires a PORT alert on it. A
     * failed TLS handshake and a certificate inside tls_min_days count the same way.
     */
    @Test
    void anOpenPortWithTheWrongBannerFiresAPortAlert() throws Exception {
        CheckInstance smtp = instance("smtp", "banner.test", Protocol.TCP, 25, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "banner-a1", List.of(smtp))) {
            agent.send(List.of(result(smtp, OPEN, Reason.CONNECTED, t0.toEpochMilli())));
            assertTrue(alertsAbout("banner.test").isEmpty(), "the expected banner is healthy");

            agent.send(List.of(result(smtp, OPEN, Reason.BANNER_MISMATCH, t0.plusSeconds(10).toEpochMilli()),
                    result(smtp, OPEN, Reason.TLS_FAILED, t0.plusSeconds(20).toEpochMilli()),
                    result(smtp, OPEN, Reason.BANNER_MISMATCH, t0.plusSeconds(30).toEpochMilli())));

            List<AlertNotification> fired = sink.matching(n -> "banner.test".equals(n.labels().get("target")));
            assertEquals(1, fired.size());
            assertEquals(Event.FIRING, fired.get(0).event());
            assertEquals(AlertNotification.Kind.PORT, fired.get(0).kind());
            assertEquals("tcp/25 on banner.test is OPEN (banner-mismatch), seen by banner-a1", fired.get(0).summary());

            agent.send(List.of(result(smtp, OPEN, Reason.CERT_EXPIRING, t0.plusSeconds(40).toEpochMilli())));
            assertEquals(List.of(Event.FIRING), events(sink, "default", "banner.test"), "still unhealthy");
            agent.send(List.of(result(smtp, OPEN, Reason.CONNECTED, t0.plusSeconds(50).toEpochMilli())));
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "default", "banner.test"));
        }
    }

    /** A failed TLS handshake and a certificate inside tls_min_days each fire an alert of their own. */
    @Test
    void aFailedHandshakeAndAnExpiringCertificateEachFireAPortAlert() throws Exception {
        for (Reason failure : List.of(Reason.TLS_FAILED, Reason.CERT_EXPIRING)) {
            String target = failure.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".test";
            CheckInstance https = instance("https", target, Protocol.TCP, 443, Expectation.EXPECT_OPEN);
            String agentId = failure.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-a1";
            try (TestAgent agent = new TestAgent(engine, agentId, List.of(https))) {
                agent.send(List.of(result(https, OPEN, Reason.CONNECTED, t0.toEpochMilli())));
                agent.send(List.of(result(https, OPEN, failure, t0.plusSeconds(10).toEpochMilli()),
                        result(https, OPEN, failure, t0.plusSeconds(20).toEpochMilli()),
                        result(https, OPEN, failure, t0.plusSeconds(30).toEpochMilli())));

                List<AlertNotification> fired = sink.matching(n -> target.equals(n.labels().get("target")));
                assertEquals(1, fired.size(), failure.name());
                assertEquals(Event.FIRING, fired.get(0).event());
                assertEquals("tcp/443 on " + target + " is OPEN (" + target.replace(".test", "") + "), seen by " + agentId,
                        fired.get(0).summary());
            }
        }
    }

    @Test
    void aPendingAlertThatRecoversBeforeFiringIsDropped() throws Exception {
        CheckInstance web = instance("web", "blip.test", Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "blip-a1", List.of(web))) {
            agent.send(web, t0, CLOSED, CLOSED);
            assertEquals(1, alertsAbout("blip.test", "PENDING").size());
            agent.send(web, t0.plusSeconds(10), OPEN);
            assertEquals(List.of(), alertsAbout("blip.test"));
            assertEquals(List.of(), events(sink, "default", "blip.test"));
        }
    }

    @Test
    void anOpenPortThatMustStayClosedFiresAsAnExposure() throws Exception {
        CheckInstance telnet = instance("no-telnet", "exposed.test", Protocol.TCP, 23, Expectation.EXPECT_CLOSED);
        try (TestAgent agent = new TestAgent(engine, "exposure-a1", List.of(telnet))) {
            agent.send(telnet, t0, CLOSED, OPEN, OPEN, OPEN);
        }
        List<AlertNotification> fired = sink.matching(n -> "exposed.test".equals(n.labels().get("target")));
        assertEquals(1, fired.size());
        assertEquals(AlertNotification.Kind.EXPOSURE, fired.get(0).kind());
        assertEquals("tcp/23 on exposed.test is OPEN (connected) but must stay closed, seen by exposure-a1",
                fired.get(0).summary());
    }

    @Test
    void aRestartedEngineNeitherRefiresNorForgetsAStreak() throws Exception {
        CheckInstance db = instance("db", "restart.test", Protocol.TCP, 5432, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "restart-a1", List.of(db))) {
            agent.send(db, t0, CLOSED, CLOSED);
            engine.forget(); // a restart: what follows is evaluated from what is stored
            agent.send(db, t0.plusSeconds(10), CLOSED);
            assertEquals(List.of(Event.FIRING), events(sink, "default", "restart.test"), "the streak survived");

            engine.forget();
            agent.send(db, t0.plusSeconds(20), CLOSED, CLOSED);
            assertEquals(List.of(Event.FIRING), events(sink, "default", "restart.test"), "no second FIRING");
            assertEquals(1, alertsAbout("restart.test", "FIRING").size());

            engine.forget();
            agent.send(db, t0.plusSeconds(30), OPEN);
            assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "default", "restart.test"));
        }
    }

    @Test
    void flappingIsNotifiedOnceAndItsEndOnce() throws Exception {
        CheckInstance api = instance("api", "flappy.test", Protocol.TCP, 9000, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "flap-a1", List.of(api))) {
            agent.send(api, t0, OPEN, CLOSED, OPEN, CLOSED, OPEN, CLOSED, OPEN, CLOSED, OPEN, CLOSED);
            assertEquals(List.of(Event.FLAPPING_STARTED), events(sink, "default", "flappy.test"));
            given().when().get("/api/v1/alerts/" + alertsAbout("flappy.test").get(0).get("id")).then()
                    .body("flapping", equalTo(true)).body("flapCount", equalTo(1));

            agent.send(api, t0.plusSeconds(10), CLOSED, OPEN, CLOSED, OPEN);
            assertEquals(List.of(Event.FLAPPING_STARTED), events(sink, "default", "flappy.test"), "once, not per change");

            PortStateRun steady = new PortStateRun(30, OPEN);
            agent.send(api, t0.plusSeconds(20), steady.states());
            assertEquals(List.of(Event.FLAPPING_STARTED, Event.FLAPPING_STOPPED), events(sink, "default", "flappy.test"));
            given().when().get("/api/v1/alerts/" + alertsAbout("flappy.test").get(0).get("id")).then()
                    .body("flapping", equalTo(false)).body("state", equalTo("RESOLVED"))
                    .body("endedAt", notNullValue());
        }
    }

    @Test
    void aQuorumRuleFiresOnlyWhenEnoughAgentsAgree() throws Exception {
        AlertFixture.createRule("""
                {"name": "quorum-two", "match": {"target": "quorum*.test"}, "after": 1, "quorum": 2,
                 "severity": "critical", "channels": ["ops"]}""");
        CheckInstance site = instance("site", "quorum1.test", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        try (TestAgent a1 = new TestAgent(engine, "quorum-a1", List.of(site));
                TestAgent a2 = new TestAgent(engine, "quorum-a2", List.of(site))) {
            a1.send(site, t0, CLOSED);
            assertEquals(List.of(), events(sink, "quorum-two", "quorum1.test"), "one agent is no quorum");
            a2.send(site, t0.plusSeconds(1), CLOSED);
            List<AlertNotification> fired = sink.matching(n -> n.rule().equals("quorum-two"));
            assertEquals(1, fired.size());
            assertEquals(Event.FIRING, fired.get(0).event());
            assertEquals("critical", fired.get(0).severity());
            assertEquals(List.of("ops"), fired.get(0).channels());
            assertEquals("tcp/443 on quorum1.test is CLOSED (refused), seen by quorum-a1, quorum-a2", fired.get(0).summary());
        }
        // A deleted rule leaves no alert firing forever: the next sweep resolves it.
        AlertFixture.deleteRule("quorum-two");
        engine.sweep(Instant.now());
        assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "quorum-two", "quorum1.test"));
    }

    /** A run of one state, for long batches. */
    private record PortStateRun(int count, io.portwatch.proto.v1.PortState state) {
        io.portwatch.proto.v1.PortState[] states() {
            io.portwatch.proto.v1.PortState[] out = new io.portwatch.proto.v1.PortState[count];
            java.util.Arrays.fill(out, state);
            return out;
        }
    }
}
