package io.portwatch.agent.transport;

import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Collects probe results and cuts them into numbered batches: when a batch is full, or on
 * {@link #flush()}. Each result is handed to the journal as it arrives (the spool writes it, so
 * that a killed agent loses no result that was not yet in a batch). Sequence numbers start from the wall clock in microseconds, so they keep
 * increasing across restarts of an agent that keeps no state on disk (the collector deduplicates
 * by (agent, seq), so a reset counter would make new batches look like old ones).
 */
public final class BatchAssembler {

    private final int maxBatchSize;
    private final Consumer<io.portwatch.proto.v1.ProbeResult> journal;
    private final Consumer<ResultBatch> sink;
    private final List<io.portwatch.proto.v1.ProbeResult> current = new ArrayList<>();
    private long lastSeq;

    public BatchAssembler(int maxBatchSize, LongSupplier epochMicros,
            Consumer<io.portwatch.proto.v1.ProbeResult> journal, Consumer<ResultBatch> sink) {
        this.maxBatchSize = maxBatchSize;
        this.journal = journal;
        this.sink = sink;
        this.lastSeq = epochMicros.getAsLong();
    }

    /** The sink is called under this object's lock, so batches reach it in seq order. */
    public synchronized void add(String instanceKey, ProbeResult result) {
        io.portwatch.proto.v1.ProbeResult r = ProtoMapping.result(instanceKey, result);
        journal.accept(r);
        current.add(r);
        if (current.size() >= maxBatchSize) {
            sink.accept(cut());
        }
    }

    /** Results journaled by an earlier run and never cut: they become a batch now, ahead of new ones. */
    public synchronized void resume(java.util.List<io.portwatch.proto.v1.ProbeResult> journaled) {
        for (io.portwatch.proto.v1.ProbeResult r : journaled) {
            current.add(r);
            if (current.size() >= maxBatchSize) {
                sink.accept(cut());
            }
        }
        flush();
    }

    public synchronized void flush() {
        if (!current.isEmpty()) {
            sink.accept(cut());
        }
    }

    private ResultBatch cut() {
        ResultBatch batch = ResultBatch.newBuilder().setSeq(++lastSeq).addAllResults(current).build();
        current.clear();
        return batch;
    }
}
