package io.portwatch.agent;

import io.portwatch.core.testing.NetworkNamespace;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.transport.FakeCollector;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.ProbeResult;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A running agent (scheduler, probe engine, stream to a test gRPC collector) with exposure checks
 * ({@code expect: closed}) on closed UDP ports of two hosts that rate-limit their ICMP the way Linux
 * does by default (net.ipv4.icmp_ratelimit 1000 ms: a burst of about 6, then one per second). Each
 * host is its own network namespace, so each has its own budget:
 *
 * <ul>
 *   <li>"few": 20 ports at 30 s need 0.67 port unreachables per second, within the budget. Every
 *       result of two full rounds must be CLOSED / port-unreachable.
 *   <li>"many": 200 ports at 30 s need 6.7/s, more than the host grants. No result may be
 *       unhealthy (CLOSED, or UNKNOWN / icmp-rate-limited, never OPEN_FILTERED), and the agent
 *       must say so: the icmp-budget wellness check DOWN naming the host, the gauges, one WARN line.
 * </ul>
 *
 * <p>Both run in one agent for about 65 s of wall time (two rounds of 30 s). Skipped, with the
 * reason, without root or namespaces.
 */
@QuarkusTest
@TestProfile(AgentIcmpBudgetNetnsTest.Profile.class)
class AgentIcmpBudgetNetnsTest {

    private static final Path DIR;
    private static final FakeCollector COLLECTOR;
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    /** Two rounds, the first starting at most one interval after the load, plus slack. */
    private static final Duration ROUNDS_WAIT = INTERVAL.multipliedBy(2).plusSeconds(25);
    private static final int FIRST_PORT = 20000;
    private static final int FEW = 20;
    private static final int MANY = 200;

    static {
        try {
            DIR = Files.createTempDirectory("portwatch-agent-icmp");
            Files.createDirectories(DIR.resolve("checks.d"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        COLLECTOR = new FakeCollector();
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portwatch.collector.host", "127.0.0.1",
                    "portwatch.collector.port", String.valueOf(COLLECTOR.port()),
                    "portwatch.agent-id", "icmp-budget-agent",
                    "portwatch.checks-dir", DIR.resolve("checks.d").toString(),
                    "portwatch.spool.dir", DIR.resolve("spool").toString(),
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", DIR.resolve("agent.log").toString());
        }
    }

    private static NetworkNamespace fewHost;
    private static NetworkNamespace manyHost;
    private static String few;
    private static String many;
    private static long loadedAt;

    @BeforeAll
    static void buildTheHostsAndTheirChecks() throws IOException {
        fewHost = NetworkNamespace.forTest("pw-few-", "pwf");
        manyHost = NetworkNamespace.forTest("pw-many-", "pwm");
        fewHost.create();
        manyHost.create();
        // Fresh namespaces start with the kernel's defaults; the test is about exactly those.
        assertEquals("1000", fewHost.sysctl("net.ipv4.icmp_ratelimit"));
        assertEquals("1000", manyHost.sysctl("net.ipv4.icmp_ratelimit"));
        few = fewHost.targetAddress().getHostAddress();
        many = manyHost.targetAddress().getHostAddress();
        // The agent started with an empty directory; the watcher picks this file up.
        Files.writeString(DIR.resolve("checks.d").resolve("exposure.yaml"), String.format("""
                defaults:
                  interval: 30s
                  expect: closed
                checks:
                  - name: few
                    targets: [%s]
                    udp: ["%d-%d"]
                  - name: many
                    targets: [%s]
                    udp: ["%d-%d"]
                """, few, FIRST_PORT, FIRST_PORT + FEW - 1, many, FIRST_PORT, FIRST_PORT + MANY - 1));
        loadedAt = System.nanoTime();
    }

    @AfterAll
    static void tearDown() {
        if (fewHost != null) {
            fewHost.remove();
        }
        if (manyHost != null) {
            manyHost.remove();
        }
    }

    @Test
    void withinTheBudgetEveryRoundIsClosedAndBeyondItNothingIsUnhealthyAndTheAgentSaysSo() throws Exception {
        Map<String, List<String>> results = new TreeMap<>();
        long deadline = loadedAt + ROUNDS_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            results = results();
            long fewWithTwoRounds = results.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("few|") && e.getValue().size() >= 2).count();
            if (fewWithTwoRounds == FEW) {
                break;
            }
            Thread.sleep(1_000);
        }
        double seconds = (System.nanoTime() - loadedAt) / 1e9;

        Map<String, Integer> fewSeen = tally(results, "few|");
        Map<String, Integer> manySeen = tally(results, "many|");
        System.out.printf("running agent, %.0f s after the load: %s (20 checks at 30 s) got %s; %s (200 checks at"
                + " 30 s) got %s; load %s%n", seconds, few, fewSeen, many, manySeen, loadavg());

        // Within the budget: every instance had two rounds, every result closed by its port unreachable.
        for (int port = FIRST_PORT; port < FIRST_PORT + FEW; port++) {
            String key = "few|" + few + "|udp|" + port;
            List<String> got = results.getOrDefault(key, List.of());
            assertTrue(got.size() >= 2, key + " had " + got.size() + " results in " + seconds + " s");
        }
        assertEquals(Map.of("CLOSED/PORT_UNREACHABLE", fewSeen.get("CLOSED/PORT_UNREACHABLE")), fewSeen);

        // Beyond it: closed or honestly unknown, never the unhealthy OPEN_FILTERED.
        int manyResults = manySeen.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(manyResults >= 20, "only " + manyResults + " results of the 200-check host");
        var allowed = new TreeSet<>(List.of("CLOSED/PORT_UNREACHABLE", "UNKNOWN/ICMP_RATE_LIMITED"));
        assertTrue(allowed.containsAll(manySeen.keySet()), manySeen.toString());

        // ... and the agent says so: wellness DOWN naming that host only; readiness and liveness untouched.
        JsonPath health = given().get("/q/health").then().statusCode(503).extract().jsonPath();
        Map<String, Object> check = health.getMap("checks.find { it.name == 'icmp-budget' }");
        assertEquals("DOWN", check.get("status"), health.prettify());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) check.get("data");
        assertTrue(String.valueOf(data.get(many)).startsWith("200 UDP checks need 6.7/s, the host grants "),
                health.prettify());
        assertFalse(data.containsKey(few), health.prettify());
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1.0, gauge(metrics, "portwatch_agent_udp_icmp_budget_exceeded", many), 0);
        assertEquals(0.0, gauge(metrics, "portwatch_agent_udp_icmp_budget_exceeded", few), 0);
        assertEquals(200 / 30.0, gauge(metrics, "portwatch_agent_udp_icmp_demand_per_second", many), 1e-9);
        double grant = gauge(metrics, "portwatch_agent_udp_icmp_grant_per_second", many);
        assertTrue(grant > 0.5 && grant < 2, "grant " + grant);

        List<String> warnings = Files.readAllLines(DIR.resolve("agent.log")).stream()
                .filter(l -> l.contains("WARN") && l.contains("ICMP budget exceeded")).toList();
        assertEquals(1, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.get(0).contains(many + ": 200 UDP checks every 30s need up to 6.7/s"), warnings.get(0));
    }

    /** Every result the collector got, by instance key, in order; acknowledges what it got. */
    private static Map<String, List<String>> results() {
        Map<Long, List<ProbeResult>> batches = new TreeMap<>(); // by seq: a re-sent batch counts once
        for (FakeCollector.Session session : COLLECTOR.sessions()) {
            long newest = -1;
            for (AgentMessage m : session.messages()) {
                if (m.hasBatch()) {
                    batches.put(m.getBatch().getSeq(), m.getBatch().getResultsList());
                    newest = Math.max(newest, m.getBatch().getSeq());
                }
            }
            if (newest >= 0) {
                try {
                    session.ack(newest);
                } catch (RuntimeException e) {
                    // A stream that ended: its batches come again on the next one.
                }
            }
        }
        Map<String, List<String>> byKey = new TreeMap<>();
        batches.values().forEach(rs -> rs.forEach(r -> byKey.computeIfAbsent(r.getInstanceKey(), k -> new ArrayList<>())
                .add(r.getState() + "/" + r.getReason())));
        return byKey;
    }

    private static Map<String, Integer> tally(Map<String, List<String>> results, String prefix) {
        Map<String, Integer> counts = new HashMap<>();
        results.forEach((key, states) -> {
            if (key.startsWith(prefix)) {
                states.forEach(s -> counts.merge(s, 1, Integer::sum));
            }
        });
        return counts;
    }

    private static double gauge(String metrics, String name, String target) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*target=\"" + Pattern.quote(target) + "\"[^}]*\\} (\\S+)$")
                .matcher(metrics);
        assertTrue(m.find(), name + " for " + target + " not in /q/metrics");
        return Double.parseDouble(m.group(1));
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
