package io.portwatch.collector.ingest;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Several agents push all their batches at once at a collector whose bounds are as tight as they
 * go: a read-ahead budget of one byte (a reservation only when nothing is buffered) and an alert
 * queue of 10 results (a 20-result batch waits for the one before it to be evaluated). Everything
 * must still be stored and acked in order, and the budget must be whole again at the end.
 */
@QuarkusTest
@TestProfile(IngestBackPressureTest.TightBounds.class)
class IngestBackPressureTest {

    public static class TightBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portwatch.ingest.max-buffered", "1", "portwatch.alerts.max-queued-results", "10");
        }
    }

    private static final int AGENTS = 6;
    private static final int BATCHES = 30;
    private static final int RESULTS = 20;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void agentsSendingEverythingAtOnceAreHeldBackAndEverythingIsStoredOnce() throws Exception {
        double resultsBefore = metric("portwatch_ingest_results_total");
        List<AgentStreamClient> clients = new ArrayList<>();
        // The most the collector held of the budget while the agents pushed, sampled.
        AtomicLong mostBuffered = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                mostBuffered.accumulateAndGet((long) metric("portwatch_ingest_buffered_bytes"), Math::max);
            }
        });
        sampler.start();
        try {
            long t0 = System.currentTimeMillis() - 600_000;
            for (int a = 0; a < AGENTS; a++) {
                List<CheckInstance> checks = new ArrayList<>();
                for (int i = 0; i < RESULTS; i++) {
                    checks.add(instance("bp-" + i, "127.0.1." + (a + 1), Protocol.TCP, 1000 + i, Expectation.EXPECT_OPEN));
                }
                AgentStreamClient client = new AgentStreamClient();
                clients.add(client);
                client.send(hello("back-pressure-agent-" + a)).send(catalog("bp", checks));
                for (int seq = 1; seq <= BATCHES; seq++) {
                    List<ProbeResult> results = new ArrayList<>();
                    for (CheckInstance c : checks) {
                        results.add(result(c, PortState.OPEN, Reason.CONNECTED, t0 + seq * 1000L));
                    }
                    client.send(batch(seq, results));
                }
            }
            for (AgentStreamClient client : clients) {
                for (int seq = 1; seq <= BATCHES; seq++) {
                    assertEquals(seq, client.next(WAIT).getAck().getSeq(), "acks come in order, one per batch");
                }
            }
        } finally {
            sampling.set(false);
            sampler.join();
            for (AgentStreamClient client : clients) {
                client.close();
            }
        }
        // One reservation (the first guess, 64 KiB) when nothing is buffered, plus the one
        // message each stream may always ask for, plus the one being stored: a batch here is
        // about 1.5 KB. Without the budget each stream would read its whole window (16).
        long bound = IngestBudget.INITIAL_ESTIMATE + AGENTS * 2 * 4096;
        assertTrue(mostBuffered.get() <= bound, "held " + mostBuffered.get() + " bytes, more than " + bound);
        assertTrue(mostBuffered.get() > 0, "the sampler saw nothing buffered: it measured nothing");
        assertEquals(AGENTS * BATCHES * RESULTS, metric("portwatch_ingest_results_total") - resultsBefore, 0.0,
                "every result stored once");
        // Every reservation and every stored message's bytes come back once the streams end.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (metric("portwatch_ingest_buffered_bytes") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0.0, metric("portwatch_ingest_buffered_bytes"), "bytes still held of the budget");
        assertEquals(0.0, metric("portwatch_ingest_waiting_streams"), "streams still waiting for the budget");
    }

    private static double metric(String name) {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
