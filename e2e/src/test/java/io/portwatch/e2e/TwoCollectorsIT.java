package io.portwatch.e2e;

import static io.portwatch.e2e.DeployStack.awaitTrue;
import static io.portwatch.e2e.DeployStack.freePort;
import static io.portwatch.e2e.DeployStack.isLeader;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two collector replicas on one database, as the Kubernetes Deployment runs them: an agent
 * connected to each. Both replicas ingest and serve the same data, every result is stored once,
 * exactly one replica leads (evaluates alerts, applies retention), and when the leader is
 * killed with SIGKILL the other takes over within 15 s.
 */
class TwoCollectorsIT {

    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);

    @Test
    void replicasShareTheWorkAndTheLeadershipMovesWhenTheLeaderDies() throws Exception {
        try (DeployStack stack = new DeployStack("portwatch-two-collectors");
                ExternalPostgres db = stack.startDatabase()) {
            int portA = freePort();
            int portB = freePort();
            try (AppProcess a = stack.startCollector("collector-a", stack.collectorEnv(db, portA));
                    AppProcess b = stack.startCollector("collector-b", stack.collectorEnv(db, portB))) {
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
                }
            }
        }
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
