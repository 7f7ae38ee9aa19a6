package io.portwatch.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portwatch.agent.spool.Spool;

/** The spool's meters, read from the spool when scraped. */
final class SpoolMetrics {

    private SpoolMetrics() {}

    static void register(MeterRegistry registry, Spool spool) {
        Gauge.builder("portwatch.agent.spool.bytes", spool, Spool::bytes).baseUnit("bytes")
                .description("bytes of the spool's segment files").register(registry);
        Gauge.builder("portwatch.agent.spool.batches", spool, Spool::batches)
                .description("batches not yet acknowledged by the collector (on disk and in memory)").register(registry);
        Gauge.builder("portwatch.agent.spool.oldest.unacked", spool, s -> s.oldestUnackedAge().toMillis() / 1000.0)
                .baseUnit("seconds").description("age of the oldest unacknowledged batch").register(registry);
        Gauge.builder("portwatch.agent.spool.degraded", spool, s -> s.degraded().isPresent() ? 1 : 0)
                .description("1 while the spool's disk refuses writes and batches wait in memory").register(registry);
        FunctionCounter.builder("portwatch.agent.spool.dropped.batches", spool, Spool::dropped)
                .description("unacknowledged batches dropped because a spool bound was reached (a gap in the history)")
                .register(registry);
        FunctionCounter.builder("portwatch.agent.spool.damaged.records", spool, Spool::damagedRecords)
                .description("torn or damaged records cut off when the spool was read back").register(registry);
    }
}
