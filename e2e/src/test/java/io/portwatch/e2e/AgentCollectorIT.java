package io.portwatch.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portwatch.core.testing.LoopbackTargets;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole path on real parts: a packaged agent probes ports this test opened on loopback and
 * streams to a packaged collector on embedded PostgreSQL; the REST API must show each port as it
 * really is. Then the collector is killed with SIGKILL and restarted on the same data while the
 * agent keeps probing: history is kept, nothing probed meanwhile is lost, nothing is stored twice. Then the check directory changes under the running agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentCollectorIT {

    private static final Path ROOT = Path.of(System.getProperty("portwatch.root", ".."));
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String AGENT_ID = "e2e-agent";

    private static LoopbackTargets.Standard targets;
    private static Path work;
    private static Path checksDir;
    private static int collectorPort;
    private static Map<String, String> collectorEnv;
    private static Map<String, String> agentEnv;
    private static AppProcess collector;
    private static AppProcess agent;

    @BeforeAll
    static void start() throws Exception {
        targets = new LoopbackTargets.Standard();
        work = Files.createTempDirectory("portwatch-e2e");
        checksDir = Files.createDirectories(work.resolve("checks.d"));
        Files.writeString(checksDir.resolve("e2e.yaml"), """
                defaults:
                  interval: 1s
                  timeout: 500ms
                checks:
                  - name: web
                    targets: [127.0.0.1]
                    tcp: [%d]
                  - name: api
                    targets: [127.0.0.1]
                    tcp: [%d]
                  - name: no-exposure
                    targets: [127.0.0.1]
                    tcp: [%d]
                    expect: closed
                  - name: echo
                    targets: [127.0.0.1]
                    udp: [%d]
                  - name: gone
                    targets: [127.0.0.1]
                    udp: [%d]
                """.formatted(targets.openTcp, targets.closedTcp, targets.closedTcp, targets.echoUdp, targets.closedUdp));
        // Secured as a production site would run it: TLS only, no shared token, and the agent's own
        // token, created through the API with the admin key (DeployTls).
        collectorPort = freePort();
        collectorEnv = new HashMap<>(DeployTls.collectorEnv(collectorPort));
        collectorEnv.put("PORTWATCH_DATA_DIR", work.resolve("postgres").toString());
        collector = startCollector();
        RestAssured.port = collectorPort;
        awaitTrue("collector ready", Duration.ofSeconds(120), () -> ready(collectorPort), collector);
        String agentToken = given().post("/api/v1/agents/" + AGENT_ID + "/tokens").then().statusCode(201)
                .extract().path("secret");
        agentEnv = AppProcess.agentEnv(AGENT_ID, checksDir, work, collectorPort);
        agentEnv.put("PORTWATCH_COLLECTOR_TLS_CA", DeployTls.CA.caPem().toString());
        agentEnv.put("PORTWATCH_COLLECTOR_TOKEN", agentToken);
        agentEnv.put("PORTWATCH_COLLECTOR_RECONNECT_MAX_BACKOFF", "2s");
        agent = startAgent();
    }

    private static AppProcess startAgent() throws java.io.IOException {
        return AppProcess.start("agent", ROOT.resolve("agent/target/quarkus-app"), agentEnv, work.resolve("agent.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) agent.close();
        if (collector != null) collector.close();
        if (targets != null) targets.close();
        WorkDirs.delete(work);
    }

    @Test
    @Order(1)
    void restApiShowsEachPortAsItReallyIs() throws InterruptedException {
        Map<String, String> expected = Map.of(
                "web|127.0.0.1|tcp|" + targets.openTcp, "OPEN connected true",
                "api|127.0.0.1|tcp|" + targets.closedTcp, "CLOSED refused false",
                "no-exposure|127.0.0.1|tcp|" + targets.closedTcp, "CLOSED refused true",
                "echo|127.0.0.1|udp|" + targets.echoUdp, "OPEN reply true",
                "gone|127.0.0.1|udp|" + targets.closedUdp, "CLOSED port-unreachable false");
        awaitTrue("every check instance in its real state", SETTLE, () -> expected.equals(currentStates()), agent, collector);
        // The same, as Prometheus sees it: each check's healthy as 1 or 0, whatever its
        // expectation (read every 15 s, portwatch.metrics.refresh-interval).
        Map<String, String> up = new HashMap<>();
        expected.forEach((key, state) -> up.put(key, state.endsWith(" true") ? "1.0" : "0.0"));
        awaitTrue("portwatch_check_up of every check on /q/metrics", SETTLE, () -> up.equals(checkUp()), collector);
        JsonPath agents = given().get("/api/v1/agents").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(AGENT_ID), agents.getList("id"));
        assertEquals(true, agents.getBoolean("[0].connected"));
    }

    @Test
    @Order(2)
    void afterAKill9TheCollectorRestartsOnItsDataAndTheOutageIsFilledInOnceEvenThoughTheAgentWasKilledToo()
            throws Exception {
        long webId = checkId("web|127.0.0.1|tcp|" + targets.openTcp);
        List<String> before = history(webId);
        // kill -9: no shutdown hook runs, the embedded postmaster is orphaned with its pid file.
        collector.kill();
        Instant downFrom = Instant.now();
        Thread.sleep(4_000); // the agent keeps probing (1 s interval) into its spool
        // The agent is killed too while the collector is down: what it probed so far is only in its
        // spool on disk (before the spool, these results were lost with the process).
        agent.kill();
        Instant agentKilled = Instant.now();
        agent = startAgent();
        Thread.sleep(2_000);
        collector = startCollector();
        awaitTrue("collector ready again", Duration.ofSeconds(120), () -> ready(collectorPort), collector);
        awaitTrue("results probed during the outage by the agent that was killed stored", SETTLE, () -> history(webId)
                .stream()
                .map(Instant::parse)
                .filter(t -> t.isAfter(downFrom.plusMillis(500)) && t.isBefore(agentKilled.minusMillis(500)))
                .count() >= 2, agent, collector);
        List<String> times = history(webId);
        assertTrue(times.containsAll(before), "history from before the kill is kept");
        Set<String> unique = new HashSet<>(times);
        assertEquals(unique.size(), times.size(), "a result was stored twice: " + times);
    }

    @Test
    @Order(3)
    void aChangedCheckDirectoryIsPickedUpAndABrokenOneKeepsTheLastGoodConfig() throws Exception {
        Files.writeString(checksDir.resolve("more.yaml"), """
                checks:
                  - name: added
                    targets: [127.0.0.1]
                    tcp: [%d]
                    interval: 1s
                    timeout: 500ms
                """.formatted(targets.openTcp));
        String added = "added|127.0.0.1|tcp|" + targets.openTcp;
        awaitTrue("the added check reports", SETTLE, () -> "OPEN connected true".equals(currentStates().get(added)),
                agent, collector);

        Files.writeString(checksDir.resolve("broken.yaml"), "checks:\n  - name: bad\n    targets: [127.0.0.1]\n    tcp: [70000]\n");
        Instant after = Instant.now().plusSeconds(3);
        long addedId = checkId(added);
        awaitTrue("probing goes on with the last good config", SETTLE,
                () -> history(addedId).stream().map(Instant::parse).anyMatch(t -> t.isAfter(after)), agent, collector);
        assertTrue(currentStates().containsKey(added));
        given().get("/api/v1/checks/" + addedId).then().statusCode(200)
                .body("inCatalog", org.hamcrest.Matchers.equalTo(true));
    }

    private static AppProcess startCollector() throws IOException {
        return AppProcess.start("collector", ROOT.resolve("collector/target/quarkus-app"), collectorEnv,
                work.resolve("collector.log"));
    }

    /** key -> "STATE reason healthy" for this test's agent. */
    private static Map<String, String> currentStates() {
        JsonPath checks = given().get("/api/v1/checks").then().statusCode(200).extract().jsonPath();
        Map<String, String> states = new HashMap<>();
        List<Map<String, Object>> rows = checks.getList("findAll { it.agentId == '" + AGENT_ID + "' && it.state != null }");
        for (Map<String, Object> row : rows) {
            states.put((String) row.get("key"), row.get("state") + " " + row.get("reason") + " " + row.get("healthy"));
        }
        return states;
    }

    /** key -> the value of portwatch_check_up, for this test's agent, from /q/metrics. */
    private static Map<String, String> checkUp() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^portwatch_check_up\\{check=\"([^\"]*)\",target=\"([^\"]*)\",proto=\"([^\"]*)\","
                + "port=\"([^\"]*)\",agent=\"" + AGENT_ID + "\"} (\\S+)$", Pattern.MULTILINE).matcher(text);
        Map<String, String> up = new HashMap<>();
        while (m.find()) {
            up.put(m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4), m.group(5));
        }
        return up;
    }

    private static long checkId(String key) {
        List<Integer> ids = given().get("/api/v1/checks").jsonPath()
                .getList("findAll { it.agentId == '" + AGENT_ID + "' && it.key == '" + key + "' }.id");
        assertEquals(1, ids.size(), key);
        return ids.get(0);
    }

    private static List<String> history(long id) {
        return given().queryParam("limit", 1000).get("/api/v1/checks/" + id + "/history")
                .then().statusCode(200).extract().jsonPath().getList("results.observedAt");
    }

    private static boolean ready(int port) {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition, AppProcess... logs)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                // not there yet (connection refused while starting, ...)
            }
            Thread.sleep(250);
        }
        StringBuilder msg = new StringBuilder("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        for (AppProcess p : logs) {
            msg.append("\n\n").append(p.tail());
        }
        fail(msg.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
