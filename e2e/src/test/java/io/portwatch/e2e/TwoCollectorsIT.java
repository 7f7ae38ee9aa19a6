package io.portwatch.e2e;

import static io.portwatch.e2e.DeployStack.awaitTrue;
import static io.portwatch.e2e.DeployStack.freePort;
import static io.portwatch.e2e.DeployStack.isLeader;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two collector replicas on one database, as the Kubernetes Deployment runs them: an agent
 * connected to each. Both replicas ingest and serve the same data, every result is stored once,
 * exactly one replica leads (evaluates alerts, applies retention), and when the leader is
 * killed with SIGKILL the other takes over within 15 s. Both have the same webhook notifier:
 * every alert transition reaches it exactly once, signed, whichever replica is leading.
 */
class TwoCollectorsIT {

    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);
    /** How long the test keeps listening after a delivery, for a duplicate from the other replica. */
    private static final Duration LATE_DUPLICATE_WAIT = Duration.ofSeconds(5);
    private static final String HOOK_SECRET = "e2e-hook-secret";

    @Test
    void replicasShareTheWorkAndTheLeadershipMovesWhenTheLeaderDies() throws Exception {
        try (DeployStack stack = new DeployStack("portwatch-two-collectors");
                ExternalPostgres db = stack.startDatabase();
                WebhookReceiver hook = new WebhookReceiver()) {
            int portA = freePort();
            int portB = freePort();
            try (AppProcess a = stack.startCollector("collector-a", hook.notifierOf(stack.collectorEnv(db, portA), HOOK_SECRET));
                    AppProcess b = stack.startCollector("collector-b", hook.notifierOf(stack.collectorEnv(db, portB), HOOK_SECRET))) {
                // Started together, as a Deployment's replicas are: both migrate, create partitions, race for the lock.
                try {
                    awaitTrue("both collectors ready", Duration.ofSeconds(240),
                            () -> DeployStack.ready(portA) && DeployStack.ready(portB), a, b);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n\nlocks: " + db.locks() + "\n\n" + a.threadDump() + "\n\n" + b.threadDump(), e);
                }
                try (AppProcess agentA = stack.startAgent("agent-a", stack.agentEnv("agent-a", portA));
                        AppProcess agentB = stack.startAgent("agent-b", stack.agentEnv("agent-b", portB))) {
                    for (int port : new int[] {portA, portB}) {
                        for (String agent : List.of("agent-a", "agent-b")) {
                            DeployStack.awaitEqual(agent + "'s checks served by the collector on " + port,
                                    Duration.ofSeconds(180), stack.expectedStates(),
                                    () -> DeployStack.currentStates(port, agent), agentA, agentB, a, b);
                        }
                    }
                    assertEquals(0, db.queryLong("select count(*) from (select check_id, observed_at from result"
                            + " group by check_id, observed_at having count(*) > 1) twice"), "a result was stored twice");
                    assertEquals(2, db.queryLong("select count(*) from agent"), "one row per agent");
                    String key = "web|127.0.0.1|tcp|" + stack.targets.openTcp;
                    long id = checkId(portA, "agent-b", key);
                    // Results keep arriving between the two reads: compare up to the newest both have seen.
                    List<String> fromA = history(portA, id);
                    List<String> fromB = history(portB, id);
                    Instant common = Instant.parse(fromA.get(0)).isBefore(Instant.parse(fromB.get(0)))
                            ? Instant.parse(fromA.get(0)) : Instant.parse(fromB.get(0));
                    assertEquals(upTo(fromA, common), upTo(fromB, common), "both replicas serve the same history");

                    assertNotEquals(isLeader(portA), isLeader(portB), "exactly one collector leads");
                    boolean aLeads = isLeader(portA);
                    AppProcess leader = aLeads ? a : b;
                    int followerPort = aLeads ? portB : portA;
                    String followerAgent = aLeads ? "agent-b" : "agent-a";

                    // Both agents probe the closed "api" port. A subject is (rule, instance key), and the
                    // key does not name the agent: one alert, one FIRING, however many agents and replicas.
                    String apiKey = "api|127.0.0.1|tcp|" + stack.targets.closedTcp;
                    WebhookReceiver.Delivery apiFiring = awaitOnly(hook, "FIRING", "api", a, b);
                    Instant apiFirstUnhealthy = firstResult(portA, apiKey, "CLOSED", Instant.EPOCH);
                    List<Integer> firingA = firingPortAlerts(portA);
                    assertEquals(List.of((int) apiFiring.json().getLong("alertId")), firingA, "the firing port alerts");
                    assertEquals(firingA, firingPortAlerts(portB), "both replicas serve the same firing alerts");
                    // The follower's agent votes too: its batches reach the leader through alert_inbox.
                    String apiAlert = "/api/v1/alerts/" + firingA.get(0);
                    awaitTrue("both agents vote on the api alert", Duration.ofSeconds(20),
                            () -> given().port(followerPort).get(apiAlert).jsonPath().getList("voters")
                                    .containsAll(List.of("agent-a", "agent-b")), a, b);
                    System.out.printf("TwoCollectorsIT: api FIRING delivered once, %d ms after the port's first unhealthy"
                            + " result; voters %s (the leader's agent is %s)%n",
                            Duration.between(apiFirstUnhealthy, apiFiring.receivedAt()).toMillis(),
                            given().port(followerPort).get(apiAlert).jsonPath().getList("voters"),
                            aLeads ? "agent-a" : "agent-b");

                    leader.kill();
                    Instant killed = Instant.now();
                    awaitTrue("the follower takes the leadership", TAKEOVER_LIMIT, () -> isLeader(followerPort), a, b);
                    Duration takeover = Duration.between(killed, Instant.now());
                    System.out.printf("TwoCollectorsIT: leadership moved %d ms after kill -9 of the leader (limit %d s)%n",
                            takeover.toMillis(), TAKEOVER_LIMIT.toSeconds());

                    long followerCheck = checkId(followerPort, followerAgent, key);
                    Instant after = Instant.now();
                    awaitTrue("the new leader keeps ingesting", Duration.ofSeconds(30),
                            () -> history(followerPort, followerCheck).stream().map(Instant::parse).anyMatch(t -> t.isAfter(after)),
                            a, b);
                    assertTrue(isLeader(followerPort));

                    // A transition after the takeover: the open "web" port closes. The new leader
                    // fires it once and does not fire the delivered api alert again.
                    Instant closing = Instant.now();
                    stack.targets.closeOpenTcp();
                    WebhookReceiver.Delivery webFiring = awaitOnly(hook, "FIRING", "web", a, b);
                    Instant webFirstUnhealthy = firstResult(followerPort, key, "CLOSED", closing);
                    System.out.printf("TwoCollectorsIT: web FIRING delivered once by the new leader, %d ms after the"
                            + " port's first unhealthy result (%d ms after it closed)%n",
                            Duration.between(webFirstUnhealthy, webFiring.receivedAt()).toMillis(),
                            Duration.between(closing, webFiring.receivedAt()).toMillis());
                    assertEquals(List.of(apiFiring), hook.matching(d -> "api".equals(d.check()) && "PORT".equals(d.kind())),
                            "the api alert is notified once, before the takeover, and not again after it");
                    List<Integer> firingNow = firingPortAlerts(followerPort);
                    assertEquals(List.of((int) webFiring.json().getLong("alertId"), firingA.get(0)), firingNow,
                            "the firing port alerts after the takeover, newest first");
                    assertEachDeliveredOnceAndSigned(hook);
                }
            }
        }
    }

    /** Waits for a port alert's {@code event} of {@code check}, then a while longer: there must be one only. */
    private static WebhookReceiver.Delivery awaitOnly(WebhookReceiver hook, String event, String check, AppProcess... logs)
            throws InterruptedException {
        awaitTrue(event + " of " + check + " at the webhook", Duration.ofSeconds(60),
                () -> !hook.portEvents(event, check).isEmpty(), logs);
        Thread.sleep(LATE_DUPLICATE_WAIT.toMillis());
        List<WebhookReceiver.Delivery> got = hook.portEvents(event, check);
        assertEquals(1, got.size(), "one " + event + " of " + check + ", got " + got);
        return got.get(0);
    }

    /** Every outbox row reached the receiver once (no replica sent another's), with a valid signature. */
    private static void assertEachDeliveredOnceAndSigned(WebhookReceiver hook) throws Exception {
        Map<String, Long> byKey = hook.all().stream().collect(Collectors.groupingBy(
                WebhookReceiver.Delivery::dedupeKey, java.util.TreeMap::new, Collectors.counting()));
        byKey.forEach((k, n) -> assertEquals(1L, n, "deliveries of " + k + ": " + hook.all()));
        for (WebhookReceiver.Delivery d : hook.all()) {
            assertEquals(WebhookReceiver.signature(HOOK_SECRET, d.body()), d.signature(), "signature of " + d);
            assertNotNull(d.deliveryId(), "X-Portwatch-Delivery of " + d);
        }
        System.out.printf("TwoCollectorsIT: %d webhook deliveries, one per dedupe key: %s%n", byKey.size(),
                hook.all().stream().map(d -> d.dedupeKey() + " " + d.kind() + " " + d.check()).sorted().toList());
    }

    private static List<Integer> firingPortAlerts(int port) {
        return given().port(port).queryParam("state", "firing").queryParam("kind", "port").get("/api/v1/alerts")
                .then().statusCode(200).extract().jsonPath().getList("id");
    }

    /** The earliest result in {@code state} after {@code since}, from any agent, as the collector on {@code port} has it. */
    private static Instant firstResult(int port, String key, String state, Instant since) {
        Instant first = null;
        for (String agent : List.of("agent-a", "agent-b")) {
            List<Integer> ids = given().port(port).get("/api/v1/checks").jsonPath()
                    .getList("findAll { it.agentId == '" + agent + "' && it.key == '" + key + "' }.id");
            for (Integer id : ids) {
                List<Map<String, Object>> results = given().port(port).queryParam("limit", 1000)
                        .get("/api/v1/checks/" + id + "/history").then().statusCode(200).extract().jsonPath().getList("results");
                for (Map<String, Object> r : results) {
                    Instant at = Instant.parse((String) r.get("observedAt"));
                    if (state.equals(r.get("state")) && at.isAfter(since) && (first == null || at.isBefore(first))) {
                        first = at;
                    }
                }
            }
        }
        assertNotNull(first, "a " + state + " result of " + key);
        return first;
    }

    private static long checkId(int port, String agent, String key) {
        List<Integer> ids = given().port(port).get("/api/v1/checks").jsonPath()
                .getList("findAll { it.agentId == '" + agent + "' && it.key == '" + key + "' }.id");
        assertEquals(1, ids.size(), agent + " " + key);
        return ids.get(0);
    }

    private static List<String> upTo(List<String> history, Instant last) {
        return history.stream().filter(t -> !Instant.parse(t).isAfter(last)).toList();
    }

    private static List<String> history(int port, long id) {
        return given().port(port).queryParam("limit", 1000).get("/api/v1/checks/" + id + "/history")
                .then().statusCode(200).extract().jsonPath().getList("results.observedAt");
    }
}
