package io.portwatch.agent.transport;

import io.portwatch.proto.v1.ResultBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Batches not yet acknowledged by the collector, oldest first. Bounded: when full the oldest batch
 * is dropped and counted, so a collector outage costs memory up to a limit and never more.
 * Not thread-safe; {@link CollectorLink} guards it.
 */
final class PendingBatches {

    private final Deque<ResultBatch> batches = new ArrayDeque<>();
    private final int capacity;
    private long dropped;

    PendingBatches(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("portwatch.collector.max-pending-batches must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    void add(ResultBatch batch) {
        if (batches.size() == capacity) {
            batches.removeFirst();
            dropped++;
        }
        batches.addLast(batch);
    }

    /** Cumulative ack: every batch with seq <= {@code seq} is stored. */
    void ack(long seq) {
        while (!batches.isEmpty() && batches.peekFirst().getSeq() <= seq) {
            batches.removeFirst();
        }
    }

    /** Batches with seq greater than {@code seq}, in order. */
    List<ResultBatch> after(long seq) {
        List<ResultBatch> out = new ArrayList<>();
        for (ResultBatch b : batches) {
            if (b.getSeq() > seq) {
                out.add(b);
            }
        }
        return out;
    }

    int size() {
        return batches.size();
    }

    long dropped() {
        return dropped;
    }
}
