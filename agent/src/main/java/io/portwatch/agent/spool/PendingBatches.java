package io.portwatch.agent.spool;

import com.google.protobuf.InvalidProtocolBufferException;
import io.portwatch.proto.v1.ResultBatch;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;

/**
 * Batches not yet acknowledged that the spool holds in memory because its disk refused them,
 * oldest first. Bounded by their serialized bytes: when full the oldest batches are dropped and
 * counted, so a long outage on a full disk costs memory up to a limit and never more. Not
 * thread-safe; {@link Spool} guards it.
 *
 * <p>Kept serialized, so that the bound is what the heap holds: as message objects the same batches
 * took two to three times their serialized size, which the agent's small heap (agent.jvmoptions)
 * would have to reserve for a disk failure. Parsed again when sent, which happens only while the
 * disk refuses writes.
 */
final class PendingBatches {

    private record Entry(long seq, byte[] serialized, long appendedAtMs) {
        ResultBatch batch() {
            try {
                return ResultBatch.parseFrom(serialized);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("batch " + seq + " held in memory does not parse back", e);
            }
        }
    }

    private final Deque<Entry> batches = new ArrayDeque<>();
    private final long capacityBytes;
    private long bytes;
    private long dropped;

    PendingBatches(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("portwatch.spool.memory-max-bytes must be at least 1, not " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /** Keeps {@code batch}, the newest, dropping the oldest ones until it fits (it always stays). */
    void add(ResultBatch batch, long appendedAtMs) {
        byte[] serialized = batch.toByteArray();
        while (!batches.isEmpty() && bytes + serialized.length > capacityBytes) {
            removeOldest();
            dropped++;
        }
        batches.addLast(new Entry(batch.getSeq(), serialized, appendedAtMs));
        bytes += serialized.length;
    }

    /** Cumulative ack: every batch with seq <= {@code seq} is stored. */
    void ack(long seq) {
        while (!batches.isEmpty() && batches.peekFirst().seq() <= seq) {
            removeOldest();
        }
    }

    /** At most {@code max} batches with seq greater than {@code seq}, in order, added to {@code out}. */
    void after(long seq, int max, List<ResultBatch> out) {
        for (Entry e : batches) {
            if (out.size() >= max) {
                return;
            }
            if (e.seq() > seq) {
                out.add(e.batch());
            }
        }
    }

    /** The oldest batch, to be moved to the disk first; it stays here until {@link #removeOldest()}. */
    ResultBatch oldest() {
        return batches.isEmpty() ? null : batches.peekFirst().batch();
    }


    void removeOldest() {
        bytes -= batches.removeFirst().serialized().length;
    }

    long bytes() {
        return bytes;
    }

    OptionalLong oldestTime() {
        return batches.isEmpty() ? OptionalLong.empty() : OptionalLong.of(batches.peekFirst().appendedAtMs());
    }

    int size() {
        return batches.size();
    }

    long dropped() {
        return dropped;
    }
}
