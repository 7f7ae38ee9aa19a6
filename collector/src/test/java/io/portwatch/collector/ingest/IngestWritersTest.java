package io.portwatch.collector.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestWritersTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void noMoreTurnsRunAtOnceThanWriters() throws Exception {
        IngestWriters writers = new IngestWriters(2, pool);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(8);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            writers.submit(() -> {
                started.incrementAndGet();
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                awaitQuietly(release);
                running.decrementAndGet();
                done.countDown();
            });
        }
        Thread.sleep(200);
        assertEquals(2, started.get(), "only two turns may have begun");
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS), "the queued turns did not all run");
        assertEquals(2, mostAtOnce.get());
    }

    @Test
    void turnsBeginInTheOrderTheyWereAskedFor() throws Exception {
        IngestWriters writers = new IngestWriters(1, pool);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(6);
        List<Integer> started = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            int turn = i;
            writers.submit(() -> {
                started.add(turn);
                awaitQuietly(release);
                done.countDown();
            });
        }
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), started);
    }

    /** A turn holds on until the test releases it (at most 10 s). */
    private static void awaitQuietly(CountDownLatch release) {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTurnThatFailsIsGivenBack() throws Exception {
        IngestWriters writers = new IngestWriters(1, pool);
        writers.submit(() -> {
            throw new IllegalStateException("the database went away");
        });
        CountDownLatch next = new CountDownLatch(1);
        writers.submit(next::countDown);
        assertTrue(next.await(10, TimeUnit.SECONDS), "the turn after a failed one never began");
    }

    @Test
    void atLeastOneWriter() {
        var e = assertThrows(IllegalArgumentException.class, () -> new IngestWriters(0, pool));
        assertEquals("portwatch.ingest.writers must be at least 1, was 0", e.getMessage());
    }
}
