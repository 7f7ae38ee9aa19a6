package io.portwatch.collector.metrics;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.portwatch.collector.metrics.Exposition.check;
import static io.portwatch.collector.metrics.Exposition.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The per-check series on the real {@code /q/metrics}, from results ingested over gRPC into the
 * real database: up follows the check's expectation (an expect-closed port that answers is down,
 * one that refuses is up), the state is one series per state, the latency is the newest result's,
 * and a firing alert is a series.
 */
@QuarkusTest
class CheckMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String AGENT = "metrics-a1";
    private static final String TARGET = "metrics1.test";

    @Inject
    CheckMetrics metrics;

    @Inject
    AlertEngine engine;

    @Test
    void eachCheckIsExportedWithItsHealthStateLatencyAndFiringAlerts() throws Exception {
        CheckInstance web = instance("web", TARGET, Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
        CheckInstance db = instance("db", TARGET, Protocol.TCP, 5432, Expectation.EXPECT_OPEN);
        CheckInstance telnet = instance("no-telnet", TARGET, Protocol.TCP, 23, Expectation.EXPECT_CLOSED);
        CheckInstance rdp = instance("no-rdp", TARGET, Protocol.TCP, 3389, Expectation.EXPECT_CLOSED);
        CheckInstance snmp = instance("snmp", TARGET, Protocol.UDP, 161, Expectation.EXPECT_CLOSED);
        long t0 = System.currentTimeMillis() - 60_000;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(AGENT)).send(catalog("metrics", List.of(web, db, telnet, rdp, snmp)));
            client.send(batch(1, List.of(
                    result(web, PortState.OPEN, Reason.CONNECTED, t0).toBuilder().setLatencyMicros(2_500).build(),
                    // Three unhealthy results: the default rule fires.
                    result(db, PortState.CLOSED, Reason.REFUSED, t0),
                    result(db, PortState.CLOSED, Reason.REFUSED, t0 + 10_000),
                    result(db, PortState.CLOSED, Reason.REFUSED, t0 + 20_000),
                    result(telnet, PortState.CLOSED, Reason.REFUSED, t0),
                    result(rdp, PortState.OPEN, Reason.CONNECTED, t0),
                    result(snmp, PortState.FILTERED, Reason.HOST_UNREACHABLE, t0))));
            assertEquals(1L, client.next(WAIT).getAck().getSeq());
        }
        engine.flush();

        Map<String, String> webLabels = check("web", TARGET, "tcp", 8080, AGENT);
        Map<String, String> dbLabels = check("db", TARGET, "tcp", 5432, AGENT);
        Map<String, String> telnetLabels = check("no-telnet", TARGET, "tcp", 23, AGENT);
        Map<String, String> rdpLabels = check("no-rdp", TARGET, "tcp", 3389, AGENT);
        Map<String, String> snmpLabels = check("snmp", TARGET, "udp", 161, AGENT);
        // The newest result's latency reaches the check with the rollup fold (every 2 s), the
        // alert with the engine: read until both are there.
        Exposition e = until(x -> !x.find(CheckFamilies.LATENCY, webLabels).isEmpty()
                && !x.find(CheckFamilies.ALERTS, Map.of("check", "db", "target", TARGET)).isEmpty());

        assertEquals(1.0, e.value(CheckFamilies.UP, webLabels), "open as expected");
        assertEquals(0.0, e.value(CheckFamilies.UP, dbLabels), "closed, expected open");
        assertEquals(1.0, e.value(CheckFamilies.UP, telnetLabels), "closed as expected (expect: closed)");
        assertEquals(0.0, e.value(CheckFamilies.UP, rdpLabels), "open, expected closed: an exposure");
        assertEquals(1.0, e.value(CheckFamilies.UP, snmpLabels), "filtered counts as closed (expect: closed)");

        assertState(e, webLabels, "open");
        assertState(e, dbLabels, "closed");
        assertState(e, telnetLabels, "closed");
        assertState(e, rdpLabels, "open");
        assertState(e, snmpLabels, "filtered");

        assertEquals(0.0025, e.value(CheckFamilies.LATENCY, webLabels), 1e-9);
        assertEquals(0.0015, e.value(CheckFamilies.LATENCY, dbLabels), 1e-9);

        Map<String, String> alert = Map.of("rule", "default", "kind", "port", "severity", "warning", "silenced", "false",
                "check", "db", "target", TARGET, "proto", "tcp", "port", "5432");
        assertEquals(1.0, e.value(CheckFamilies.ALERTS, alert), e.find(CheckFamilies.ALERTS, Map.of("target", TARGET)).toString());
        // (Its results are a minute old: a no_data alert may fire for it meanwhile, as it should.)
        assertEquals(List.of(), e.find(CheckFamilies.ALERTS, Map.of("kind", "port", "check", "web", "target", TARGET)), "web is healthy");
        assertEquals(List.of(), e.find(CheckFamilies.ALERTS, Map.of("kind", "port", "check", "no-rdp", "target", TARGET)),
                "one unhealthy result is not three");

        assertTrue(e.text().contains("# TYPE portwatch_check_up gauge"), "typed as a gauge");
        assertEquals(0.0, e.value("portwatch_metrics_dropped", Map.of("what", "checks")), "under the default cap");
    }

    private static void assertState(Exposition e, Map<String, String> labels, String current) {
        List<Exposition.Sample> states = e.find(CheckFamilies.STATE, labels);
        assertEquals(6, states.size(), "one series per state: " + states);
        for (Exposition.Sample s : states) {
            assertEquals(s.labels().get("state").equals(current) ? 1.0 : 0.0, s.value(), s.toString());
        }
        assertEquals(1.0, e.value(CheckFamilies.STATE, with(labels, "state", current)));
    }

    private Exposition until(Predicate<Exposition> ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            metrics.refresh();
            Exposition e = Exposition.scrape();
            if (ready.test(e) || Instant.now().isAfter(deadline)) {
                return e;
            }
            Thread.sleep(200);
        }
    }
}
