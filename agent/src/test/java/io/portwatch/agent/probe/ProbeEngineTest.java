package io.portwatch.agent.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.ClosedTcpPort;
import io.portwatch.core.testing.LoopbackTargets.TcpListener;
import io.portwatch.core.testing.LoopbackTargets.UdpResponder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeEngineTest {

    private static final byte[] PING = "ping".getBytes(US_ASCII);

    @Test
    void manyConcurrentTcpProbesAllCompleteWithTheRightState() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(16);
                TcpListener listener = new TcpListener(LoopbackTargets.v4());
                ClosedTcpPort closed = new ClosedTcpPort(LoopbackTargets.v4())) {
            InetSocketAddress open = listener.address();
            List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                InetSocketAddress target = i % 2 == 0 ? open : closed.address();
                futures.add(engine.probe(ProbeRequest.tcp(target, Duration.ofSeconds(5))));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            for (int i = 0; i < futures.size(); i++) {
                ProbeResult result = futures.get(i).getNow(null);
                boolean expectOpen = i % 2 == 0;
                assertEquals(expectOpen ? PortState.OPEN : PortState.CLOSED, result.state(), "#" + i + " " + result);
                assertEquals(expectOpen ? ProbeReason.CONNECTED : ProbeReason.REFUSED, result.reason());
                assertEquals(expectOpen ? open : closed.address(), result.address());
            }
            assertEquals(0, engine.inFlight());
            assertEquals(0, engine.queued());
        }
    }

    /**
     * Ten silent UDP probes of 300 ms with 4 slots: in flight never exceeds 4, the queue is FIFO,
     * and a queued probe's timeout starts when it starts (each still lasts ~300 ms).
     */
    @Test
    void inFlightLimitIsRespectedAndQueuedProbesStartLater() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(4);
                UdpResponder silent = UdpResponder.silent(LoopbackTargets.v4())) {
            AtomicInteger maxSeen = new AtomicInteger();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                for (int i = 0; i < 2_000 && sampling.get(); i++) { // bounded: ~10 s at most
                    maxSeen.accumulateAndGet(engine.inFlight(), Math::max);
                    sleep(5);
                }
            });
            sampler.start();

            List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(engine.probe(ProbeRequest.udp(silent.address(), Duration.ofMillis(300), PING)));
            }
            assertTrue(engine.queued() + engine.inFlight() <= 10);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join(5_000);

            assertTrue(maxSeen.get() <= 4, "in flight exceeded the limit: " + maxSeen.get());
            assertEquals(4, maxSeen.get(), "4 probes of 300 ms should have been seen running together");
            for (int i = 0; i < futures.size(); i++) {
                ProbeResult result = futures.get(i).getNow(null);
                assertEquals(ProbeReason.NO_REPLY, result.reason(), result.toString());
                assertTrue(result.latency().toMillis() >= 300, "#" + i + " timeout counts from its start");
                assertTrue(result.latency().toMillis() < 1_500, "#" + i + " " + result.latency());
            }
            // FIFO in waves of 4: probe 8 cannot start before probes 0..3 and 4..7 have timed out.
            ProbeResult first = futures.get(0).getNow(null);
            ProbeResult ninth = futures.get(8).getNow(null);
            long waitedMillis = Duration.between(first.startedAt(), ninth.startedAt()).toMillis();
            assertTrue(waitedMillis >= 550, "ninth probe started after two waves: " + waitedMillis + " ms");
            assertFalse(futures.get(4).getNow(null).startedAt().isBefore(first.startedAt().plusMillis(250)));
        }
    }

    /** start(): the consumer runs once per probe, on the selector thread, with the right result. */
    @Test
    void startHandsEachResultToItsConsumerOnTheSelectorThread() throws Exception {
        try (ProbeEngine engine = new ProbeEngine(8);
                TcpListener listener = new TcpListener(LoopbackTargets.v4());
                ClosedTcpPort closed = new ClosedTcpPort(LoopbackTargets.v4())) {
            int n = 200;
            List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<ProbeResult> result = new CompletableFuture<>();
                results.add(result);
                InetSocketAddress target = i % 2 == 0 ? listener.address() : closed.address();
                engine.start(ProbeRequest.tcp(target, Duration.ofSeconds(5)), r -> {
                    calls.incrementAndGet();
                    threads.add(Thread.currentThread().getName());
                    if (!result.complete(r)) {
                        throw new AssertionError("a second result for one probe");
                    }
                });
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            for (int i = 0; i < n; i++) {
                assertEquals(i % 2 == 0 ? PortState.OPEN : PortState.CLOSED, results.get(i).getNow(null).state());
            }
            assertEquals(n, calls.get());
            assertEquals(List.of("portwatch-probe-selector"), threads.stream().distinct().toList());

            // A consumer that throws is logged; the engine goes on probing.
            CompletableFuture<ProbeResult> after = new CompletableFuture<>();
            engine.start(ProbeRequest.tcp(listener.address(), Duration.ofSeconds(5)), r -> {
                throw new IllegalStateException("consumer failed");
            });
            engine.start(ProbeRequest.tcp(listener.address(), Duration.ofSeconds(5)), after::complete);
            assertEquals(PortState.OPEN, after.get(10, TimeUnit.SECONDS).state());

            // Refused up front: at once, on the caller's thread.
            List<ProbeResult> refused = new ArrayList<>();
            engine.start(ProbeRequest.tcp(listener.address(), Duration.ZERO), refused::add);
            assertEquals(PortState.ERROR, refused.get(0).state());
        }
    }

    @Test
    void closeCompletesRunningAndQueuedProbes() throws Exception {
        UdpResponder silent = UdpResponder.silent(LoopbackTargets.v4());
        ProbeEngine engine = new ProbeEngine(2);
        try {
            List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(engine.probe(ProbeRequest.udp(silent.address(), Duration.ofSeconds(30), PING)));
            }
            for (int i = 0; i < 200 && engine.inFlight() < 2; i++) { // bounded wait for 2 to start
                sleep(10);
            }
            assertEquals(2, engine.inFlight());
            assertEquals(3, engine.queued());

            long t0 = System.nanoTime();
            engine.close();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close did not wait for timeouts");

            for (CompletableFuture<ProbeResult> future : futures) {
                ProbeResult result = future.getNow(null);
                assertFalse(future.isCompletedExceptionally());
                assertEquals(PortState.ERROR, result.state(), result.toString());
                assertEquals(ProbeReason.LOCAL_ERROR, result.reason());
                assertTrue(result.detail().contains("closed"), result.detail());
                assertEquals(silent.address(), result.address());
            }
            assertTrue(engine.isClosed());
            assertEquals(0, engine.inFlight());

            ProbeResult late = engine.probe(ProbeRequest.udp(silent.address(), Duration.ofSeconds(1), PING))
                    .get(1, TimeUnit.SECONDS);
            assertEquals(PortState.ERROR, late.state());
            assertTrue(late.detail().contains("closed"), late.detail());
            engine.close(); // idempotent
        } finally {
            engine.close();
            silent.close();
        }
    }

    @Test
    void invalidRequestsBecomeErrorResults() throws Exception {
        try (ProbeEngine engine = new ProbeEngine()) {
            InetSocketAddress target = new InetSocketAddress(LoopbackTargets.v4(), 9); // never sent to
            ProbeResult zero = engine.probe(ProbeRequest.tcp(target, Duration.ZERO)).get(1, TimeUnit.SECONDS);
            ProbeResult huge = engine.probe(ProbeRequest.udp(target, Duration.ofSeconds(Long.MAX_VALUE), PING))
                    .get(1, TimeUnit.SECONDS);

            assertEquals(PortState.ERROR, zero.state());
            assertEquals(ProbeReason.LOCAL_ERROR, zero.reason());
            assertTrue(zero.detail().contains("timeout"), zero.detail());
            assertEquals(target, zero.address());
            assertEquals(PortState.ERROR, huge.state());
            assertEquals(0, engine.inFlight());
            assertThrows(NullPointerException.class, () -> engine.probe(null));
            assertThrows(IllegalArgumentException.class, () -> new ProbeEngine(0));
        }
    }

    @Test
    void selectorThreadIsADaemon() {
        try (ProbeEngine engine = new ProbeEngine()) {
            boolean found = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("portwatch-probe-selector"))
                    .allMatch(Thread::isDaemon);
            assertTrue(found);
            assertEquals(ProbeEngine.DEFAULT_MAX_IN_FLIGHT, engine.maxInFlight());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
