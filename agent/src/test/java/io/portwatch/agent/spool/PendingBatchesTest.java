package io.portwatch.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.proto.v1.ResultBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingBatchesTest {

    @Test
    void keepsBatchesOldestFirstAndReturnsThoseAfterASeq() {
        PendingBatches pending = new PendingBatches(1000);
        for (long seq = 101; seq <= 104; seq++) {
            pending.add(batch(seq), 0);
        }

        assertEquals(List.of(101L, 102L, 103L, 104L), seqs(after(pending, 0)));
        assertEquals(List.of(103L, 104L), seqs(after(pending, 102)));
        assertEquals(List.of(), seqs(after(pending, 104)));
        assertEquals(4, pending.size());
    }

    @Test
    void cumulativeAckRemovesEveryBatchUpToTheSeq() {
        PendingBatches pending = new PendingBatches(1000);
        for (long seq = 101; seq <= 104; seq++) {
            pending.add(batch(seq), 0);
        }

        pending.ack(100);
        assertEquals(4, pending.size(), "an ack below the oldest removes nothing");
        pending.ack(102);
        assertEquals(List.of(103L, 104L), seqs(after(pending, 0)));
        pending.ack(1_000);
        assertEquals(0, pending.size());
        assertEquals(0, pending.dropped(), "acked is not dropped");
    }

    @Test
    void whenFullTheOldestIsDroppedAndCounted() {
        PendingBatches pending = new PendingBatches(2L * batch(1).getSerializedSize());
        for (long seq = 1; seq <= 5; seq++) {
            pending.add(batch(seq), 0);
        }

        assertEquals(List.of(4L, 5L), seqs(after(pending, 0)));
        assertEquals(3, pending.dropped());
    }

    private static List<ResultBatch> after(PendingBatches pending, long seq) {
        List<ResultBatch> out = new java.util.ArrayList<>();
        pending.after(seq, Integer.MAX_VALUE, out);
        return out;
    }

    private static ResultBatch batch(long seq) {
        return ResultBatch.newBuilder().setSeq(seq).build();
    }

    private static List<Long> seqs(List<ResultBatch> batches) {
        return batches.stream().map(ResultBatch::getSeq).toList();
    }
}
