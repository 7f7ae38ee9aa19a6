package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An agent on a real gRPC stream whose every batch is acknowledged (stored) and evaluated before
 * {@link #send} returns, so tests assert on what the engine did with exactly that batch.
 */
final class TestAgent implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AgentStreamClient client = new AgentStreamClient();
    private final AlertEngine engine;
    private long seq;

    TestAgent(AlertEngine engine, String agentId, List<CheckInstance> instances) {
        this.engine = engine;
        client.send(hello(agentId)).send(catalog("hash-" + agentId, instances));
    }

    /** One batch of results of one instance, one per state, a second apart from {@code first}. */
    TestAgent send(CheckInstance instance, Instant first, PortState... states) throws InterruptedException {
        List<ProbeResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            results.add(result(instance, states[i], reason(states[i]), first.plusSeconds(i).toEpochMilli()));
        }
        return send(results);
    }

    TestAgent send(List<ProbeResult> results) throws InterruptedException {
        seq++;
        client.send(batch(seq, results));
        assertEquals(seq, client.next(WAIT).getAck().getSeq());
        engine.flush();
        return this;
    }

    private static Reason reason(PortState s) {
        return switch (s) {
            case OPEN -> Reason.CONNECTED;
            case CLOSED -> Reason.REFUSED;
            default -> Reason.TIMEOUT;
        };
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
    }
}
