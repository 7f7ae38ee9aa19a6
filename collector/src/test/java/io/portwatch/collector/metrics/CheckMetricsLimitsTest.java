package io.portwatch.collector.metrics;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.collector.alert.AlertEngine;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bound on the series ({@code portwatch.metrics.max-checks}: the first checks by id, the rest
 * counted as dropped), and a check whose agent is down: unknown, so no up series at all. Its own
 * application: the refresh and the sweep run only when the test calls them.
 */
@QuarkusTest
@TestProfile(CheckMetricsLimitsTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckMetricsLimitsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portwatch.metrics.max-checks", Integer.toString(MAX),
                    "portwatch.metrics.refresh-interval", "off",
                    "portwatch.alerts.sweep-interval", "off");
        }
    }

    private static final int MAX = 2;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    CheckMetrics metrics;

    @Inject
    AlertEngine engine;

    @Test
    @Order(1)
    void theFirstChecksByIdAreExportedAndTheOthersCounted() throws Exception {
        report("metrics-cap", 4);
        metrics.refresh();
        Exposition e = Exposition.scrape();

        // What the API knows: the reported checks of the catalogs, by id.
        List<Map<String, Object>> reported = given().get("/api/v1/checks").jsonPath().<Map<String, Object>>getList("$")
                .stream().filter(c -> c.get("state") != null && Boolean.TRUE.equals(c.get("inCatalog"))).toList();
        assertTrue(reported.size() > MAX, "more checks than the bound: " + reported.size());
        Set<String> expected = reported.stream().limit(MAX)
                .map(c -> c.get("name") + "|" + c.get("target") + "|" + c.get("port") + "|" + c.get("agentId"))
                .collect(Collectors.toSet());

        Set<String> exported = e.find(CheckFamilies.STATE, Map.of()).stream().map(s -> s.labels().get("check") + "|"
                + s.labels().get("target") + "|" + s.labels().get("port") + "|" + s.labels().get("agent"))
                .collect(Collectors.toSet());
        assertEquals(expected, exported, "the first " + MAX + " by id");
        assertEquals(MAX, e.find(CheckFamilies.UP, Map.of()).size());
        assertEquals(MAX * 6, e.find(CheckFamilies.STATE, Map.of()).size(), "six states each");
        assertEquals(reported.size() - MAX, e.value("portwatch_metrics_dropped", Map.of("what", "checks")), 0.0);
    }

    @Test
    @Order(2)
    void aCheckWhoseAgentIsDownIsUnknownNotDown() throws Exception {
        report("metrics-down", 1);
        // Past agent-down-after (60 s) for every agent of this application.
        engine.sweep(Instant.now().plusSeconds(600));
        metrics.refresh();
        Exposition e = Exposition.scrape();

        List<Exposition.Sample> states = e.find(CheckFamilies.STATE, Map.of());
        assertFalse(states.isEmpty());
        for (Exposition.Sample s : states) {
            assertEquals("unknown".equals(s.labels().get("state")) ? 1.0 : 0.0, s.value(), s.toString());
        }
        assertEquals(List.of(), e.find(CheckFamilies.UP, Map.of()), "neither up nor down");
        assertEquals(List.of(), e.find(CheckFamilies.LATENCY, Map.of()), "no latency to speak of");
        assertFalse(e.find(CheckFamilies.ALERTS, Map.of("kind", "agent_down", "agent", "metrics-down")).isEmpty(),
                "the agent-down alert fires instead");
    }

    /** An agent with {@code n} expect-open checks, each with an OPEN result. */
    private static void report(String agent, int n) throws InterruptedException {
        List<CheckInstance> checks = new ArrayList<>();
        List<ProbeResult> results = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            CheckInstance c = instance("svc" + i, agent + ".test", Protocol.TCP, 8000 + i, Expectation.EXPECT_OPEN);
            checks.add(c);
            results.add(result(c, PortState.OPEN, Reason.CONNECTED, now - 1_000));
        }
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog(agent, checks));
            client.send(batch(1, results));
            assertEquals(1L, client.next(WAIT).getAck().getSeq());
        }
    }
}
