package io.portwatch.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The per-result meters, {@code portwatch.agent.probes} by (proto, state, reason) and
 * {@code portwatch.agent.probe.latency} by proto, resolved once instead of looked up by tags for
 * every result (building the id and finding it in the registry cost more than the probe's own
 * bookkeeping). Counters are registered on first use, so only combinations that happened appear in
 * /q/metrics. Thread-safe: results arrive from the selector thread and the resolver threads.
 */
@Singleton
final class ProbeMetrics {

    private static final int STATES = PortState.values().length;
    private static final int REASONS = ProbeReason.values().length;

    private final MeterRegistry registry;
    private final Timer[] latency = new Timer[Protocol.values().length];
    private final AtomicReferenceArray<Counter> counters =
            new AtomicReferenceArray<>(Protocol.values().length * STATES * REASONS);

    ProbeMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Protocol proto : Protocol.values()) {
            latency[proto.ordinal()] = Timer.builder("portwatch.agent.probe.latency")
                    .tag("proto", proto.id())
                    .publishPercentileHistogram()
                    .register(registry);
        }
    }

    void record(Protocol proto, ProbeResult result) {
        counter(proto, result.state(), result.reason()).increment();
        latency[proto.ordinal()].record(result.latency().toNanos(), TimeUnit.NANOSECONDS);
    }

    private Counter counter(Protocol proto, PortState state, ProbeReason reason) {
        int i = (proto.ordinal() * STATES + state.ordinal()) * REASONS + reason.ordinal();
        Counter c = counters.get(i);
        if (c == null) {
            // Two threads may both get here: the registry hands both the same meter.
            c = Counter.builder("portwatch.agent.probes")
                    .tag("proto", proto.id())
                    .tag("state", state.name())
                    .tag("reason", reason.id())
                    .register(registry);
            counters.set(i, c);
        }
        return c;
    }
}
