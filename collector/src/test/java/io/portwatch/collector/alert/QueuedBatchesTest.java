package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.portwatch.collector.alert.AlertFixture.alertsAbout;
import static io.portwatch.collector.alert.AlertFixture.events;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.ingest.IngestEvent;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Batches that wait in the engine's queue are evaluated together, in one transaction per
 * {@link AlertEngine#MAX_GROUP}, and come out exactly as if each had been evaluated alone.
 */
@QuarkusTest
@TestProfile(AlertTestProfile.class)
class QueuedBatchesTest {

    @Inject
    AlertEngine engine;

    @Inject
    RecordingNotificationSink sink;

    @Inject
    MeterRegistry metrics;

    private final Instant t0 = Instant.now().minusSeconds(1_200).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void queuedBatchesAreEvaluatedInGroupsWithTheSameOutcomeAsOneByOne() throws Exception {
        CheckInstance grouped = instance("web", "grouped.test", Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
        CheckInstance alone = instance("web", "alone.test", Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
        // Three closed results fire the default rule; the open one after them resolves it. One more
        // batch than a group holds, so the last is evaluated in a transaction of its own.
        int batches = AlertEngine.MAX_GROUP + 1;
        try (TestAgent one = new TestAgent(engine, "queued-a1", List.of(grouped));
                TestAgent two = new TestAgent(engine, "queued-a2", List.of(alone))) {
            for (int b = 1; b <= batches; b++) {
                two.send(alone, at(b), state(b));
            }
            engine.flush();
            Timer timer = metrics.get("portwatch.alert.evaluation").tag("work", "batch").timer();
            long before = timer.count();
            CountDownLatch resume = new CountDownLatch(1);
            var held = engine.hold(resume);
            for (int b = 1; b <= batches; b++) {
                engine.evaluate(stored("queued-a1", b, grouped));
            }
            String queued = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString()
                    .lines().filter(l -> l.startsWith("portwatch_alert_queued ")).findFirst().orElse("none");
            assertEquals("portwatch_alert_queued " + batches + ".0", queued, "the queue's length is a metric");
            resume.countDown();
            held.get(10, TimeUnit.SECONDS);
            engine.flush();
            assertEquals(2, timer.count() - before, "65 queued batches: one group of 64, then one alone");
        }
        assertEquals(List.of(Event.FIRING, Event.RESOLVED), events(sink, "default", "alone.test"));
        assertEquals(events(sink, "default", "alone.test"), events(sink, "default", "grouped.test"));
        Map<String, Object> alert = alertsAbout("grouped.test").get(0);
        Map<String, Object> reference = alertsAbout("alone.test").get(0);
        for (String field : List.of("state", "startedAt", "firedAt", "endedAt", "lastState", "lastReason")) {
            assertEquals(reference.get(field), alert.get(field), field);
        }
    }

    private Instant at(int b) {
        return t0.plusSeconds(10L * b);
    }

    /** Closed in batches 2 to 4, open otherwise. */
    private static PortState state(int b) {
        return b >= 2 && b <= 4 ? PortState.CLOSED : PortState.OPEN;
    }

    private IngestEvent.BatchStored stored(String agentId, int b, CheckInstance instance) {
        PortState s = state(b);
        ResultBatch batch = ResultBatch.newBuilder().setSeq(b)
                .addResults(result(instance, s, s == PortState.OPEN ? Reason.CONNECTED : Reason.REFUSED, at(b).toEpochMilli()))
                .build();
        return new IngestEvent.BatchStored(agentId, batch, at(b));
    }
}
