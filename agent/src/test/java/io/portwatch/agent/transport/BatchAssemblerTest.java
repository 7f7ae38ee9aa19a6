package io.portwatch.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.core.check.PortState;
import io.portwatch.proto.v1.Reason;
import io.portwatch.proto.v1.ResultBatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    /** What the agent passes: the wall clock in microseconds at start. */
    private static final long EPOCH_MICROS = 1_735_787_045_000_000L;
    private static final Instant STARTED = Instant.parse("2025-01-02T03:04:05.678Z");

    private final List<ResultBatch> sunk = Collections.synchronizedList(new ArrayList<>());

    @Test
    void seqStartsRightAfterTheSuppliedEpochMicrosAndIncreasesByOne() {
        BatchAssembler assembler = new BatchAssembler(2, () -> EPOCH_MICROS, r -> { }, sunk::add);

        for (int i = 0; i < 5; i++) {
            assembler.add("k" + i, open());
        }
        assembler.flush();

        assertEquals(List.of(EPOCH_MICROS + 1, EPOCH_MICROS + 2, EPOCH_MICROS + 3), seqs());
        assertEquals(List.of(2, 2, 1), sunk.stream().map(ResultBatch::getResultsCount).toList());
    }

    @Test
    void everyResultIsJournaledBeforeItsBatchIsCutAndResumedResultsAreCutAtOnce() {
        List<String> journaled = new ArrayList<>();
        BatchAssembler assembler = new BatchAssembler(3, () -> EPOCH_MICROS,
                r -> journaled.add(r.getInstanceKey() + " before " + sunk.size() + " batches"), sunk::add);

        assembler.resume(List.of(io.portwatch.proto.v1.ProbeResult.newBuilder().setInstanceKey("old").build()));
        assertEquals(List.of(List.of("old")), sunk.stream().map(BatchAssemblerTest::keys).toList(),
                "journaled by an earlier run: cut at once, not journaled again");
        assembler.add("a", open());
        assembler.add("b", open());
        assembler.add("c", open());

        assertEquals(List.of("a before 1 batches", "b before 1 batches", "c before 1 batches"), journaled);
        assertEquals(List.of("a", "b", "c"), keys(sunk.get(1)));
    }

    @Test
    void batchIsCutWhenItReachesMaxBatchSize() {
        BatchAssembler assembler = new BatchAssembler(3, () -> EPOCH_MICROS, r -> { }, sunk::add);

        assembler.add("a", open());
        assembler.add("b", open());
        assertEquals(0, sunk.size(), "not full yet");
        assembler.add("c", open());

        assertEquals(1, sunk.size());
        assertEquals(List.of("a", "b", "c"), keys(sunk.get(0)));
    }

    @Test
    void flushCutsAPartialBatchAndNothingWhenEmpty() {
        BatchAssembler assembler = new BatchAssembler(10, () -> EPOCH_MICROS, r -> { }, sunk::add);

        assembler.flush();
        assertEquals(0, sunk.size(), "an empty buffer gives no batch");

        assembler.add("a", open());
        assembler.flush();
        assembler.flush();

        assertEquals(1, sunk.size());
        assertEquals(EPOCH_MICROS + 1, sunk.get(0).getSeq());
        assertEquals(List.of("a"), keys(sunk.get(0)));
    }

    @Test
    void resultsAreMappedFieldByField() {
        BatchAssembler assembler = new BatchAssembler(1, () -> EPOCH_MICROS, r -> { }, sunk::add);
        ProbeResult refused = new ProbeResult(PortState.CLOSED, ProbeReason.REFUSED,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 23), Duration.ofNanos(1_234_567), STARTED,
                "Connection refused");
        ProbeResult dnsFailed = new ProbeResult(PortState.ERROR, ProbeReason.DNS_FAILED, null, Duration.ZERO,
                STARTED, null);

        assembler.add("telnet|127.0.0.1|tcp|23", refused);
        assembler.add("web|nx.invalid|tcp|80", dnsFailed);

        io.portwatch.proto.v1.ProbeResult first = sunk.get(0).getResults(0);
        assertEquals("telnet|127.0.0.1|tcp|23", first.getInstanceKey());
        assertEquals(io.portwatch.proto.v1.PortState.CLOSED, first.getState());
        assertEquals(Reason.REFUSED, first.getReason());
        assertEquals("127.0.0.1", first.getAddress());
        assertEquals(1234, first.getLatencyMicros());
        assertEquals(STARTED.toEpochMilli(), first.getObservedAtMs());
        assertEquals("Connection refused", first.getDetail());
        io.portwatch.proto.v1.ProbeResult second = sunk.get(1).getResults(0);
        assertEquals(io.portwatch.proto.v1.PortState.ERROR, second.getState());
        assertEquals(Reason.DNS_FAILED, second.getReason());
        assertEquals("", second.getAddress(), "no address was probed");
    }

    @Test
    void concurrentAddAndFlushDeliverBatchesInSeqOrderWithoutLosingResults() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        BatchAssembler assembler = new BatchAssembler(16, () -> EPOCH_MICROS, r -> { }, sunk::add);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        assembler.add(thread + ":" + i, open());
                        if (i % 7 == thread) {
                            assembler.flush();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assembler.flush();

        List<ResultBatch> batches = List.copyOf(sunk);
        for (int i = 0; i < batches.size(); i++) {
            assertEquals(EPOCH_MICROS + 1 + i, batches.get(i).getSeq(), "batch " + i + " reached the sink out of order");
            assertTrue(batches.get(i).getResultsCount() <= 16);
        }
        // Every result arrives exactly once, and each thread's results in the order it added them.
        int[] next = new int[threads];
        for (ResultBatch b : batches) {
            for (String key : keys(b)) {
                int thread = Integer.parseInt(key.substring(0, key.indexOf(':')));
                assertEquals(thread + ":" + next[thread], key);
                next[thread]++;
            }
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t], "results of thread " + t);
        }
    }

    private List<Long> seqs() {
        return sunk.stream().map(ResultBatch::getSeq).toList();
    }

    private static List<String> keys(ResultBatch batch) {
        return batch.getResultsList().stream().map(io.portwatch.proto.v1.ProbeResult::getInstanceKey).toList();
    }

    private static ProbeResult open() {
        return new ProbeResult(PortState.OPEN, ProbeReason.CONNECTED,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), Duration.ofMillis(1), STARTED, "");
    }
}
