package io.portwatch.agent;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.agent.transport.BatchAssembler;
import jakarta.inject.Singleton;

/**
 * Where every probe result goes, on the scheduler's thread: counted in the metrics and added to the
 * next batch. {@code @Singleton}: the scheduler calls it without a client proxy in between.
 */
@Singleton
class ResultRecorder {

    private final ProbeMetrics metrics;
    private final BatchAssembler batches;

    ResultRecorder(ProbeMetrics metrics, BatchAssembler batches) {
        this.metrics = metrics;
        this.batches = batches;
    }

    void record(CheckInstance instance, ProbeResult result) {
        metrics.record(instance.protocol(), result);
        batches.add(instance.key(), result);
    }
}
