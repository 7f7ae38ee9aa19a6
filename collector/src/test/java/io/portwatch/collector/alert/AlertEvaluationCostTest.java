package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What evaluating a batch costs the engine (its own transaction, after the ingest one): 500
 * instances, 20 batches of one result each, through real gRPC ingest. Prints the numbers with the
 * load average; fails only far beyond them (a regression, not a benchmark verdict).
 */
@QuarkusTest
@TestProfile(AlertTestProfile.class)
class AlertEvaluationCostTest {

    private static final int INSTANCES = 500;
    private static final int BATCHES = 20;

    @Inject
    AlertEngine engine;

    @Inject
    MeterRegistry metrics;

    @Test
    void aBatchOfFiveHundredResultsIsEvaluatedInMilliseconds() throws Exception {
        List<CheckInstance> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(instance("cost", "cost.test", Protocol.TCP, 20_000 + i, Expectation.EXPECT_OPEN));
        }
        engine.flush(); // the engine (and its timers) exist from its first use
        Timer timer = metrics.get("portwatch.alert.evaluation").tag("work", "batch").timer();
        Instant t0 = Instant.now().minusSeconds(600);
        List<Double> millis = new ArrayList<>();
        try (TestAgent agent = new TestAgent(engine, "cost-a1", instances)) {
            for (int b = 0; b < BATCHES; b++) {
                List<ProbeResult> results = new ArrayList<>(INSTANCES);
                for (int i = 0; i < INSTANCES; i++) {
                    // One port in ten goes down for a while: alerts open, fire and resolve as well.
                    boolean down = i % 10 == 0 && b >= 5 && b < 12;
                    results.add(result(instances.get(i), down ? PortState.CLOSED : PortState.OPEN,
                            down ? Reason.REFUSED : Reason.CONNECTED, t0.plusSeconds(b * 10L).toEpochMilli()));
                }
                double before = timer.totalTime(TimeUnit.MILLISECONDS);
                agent.send(results);
                millis.add(timer.totalTime(TimeUnit.MILLISECONDS) - before);
            }
        }
        double first = millis.get(0);
        List<Double> warm = millis.subList(1, millis.size());
        double mean = warm.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double max = warm.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("alert evaluation of %d-result batches: first (cold) %.1f ms, then mean %.1f ms, max %.1f ms"
                + " over %d batches; load average %s%n", INSTANCES, first, mean, max, warm.size(), load);
        assertTrue(mean < 1_000, "mean evaluation of a warm batch took " + mean + " ms");
    }
}
