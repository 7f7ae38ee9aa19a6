package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.testing.LoopbackTargets.UdpResponder;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The engine's per-target limits with real sockets: distinct loopback addresses (127.0.0.1-3, all
 * local on Linux) stand for distinct hosts.
 */
class ProbeLimitsTest {

    private static InetAddress loopback(int lastOctet) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet});
    }

    /**
     * 3 targets × 8 silent UDP probes of 200 ms, 4 per target: sampled, no target ever has more
     * than 4 running, while the targets together do run 12 at once (one target's queue does not
     * hold up the others).
     */
    @Test
    void inFlightPerTargetNeverExceedsTheLimit() throws Exception {
        ProbeLimits limits = new ProbeLimits(64, 4, 1_000, 100); // pacing out of the way
        List<UdpResponder> responders = new ArrayList<>();
        try (ProbeEngine engine = new ProbeEngine(limits)) {
            InetAddress[] targets = new InetAddress[3];
            for (int t = 1; t <= 3; t++) {
                responders.add(UdpResponder.silent(loopback(t)));
                targets[t - 1] = loopback(t);
            }
            AtomicIntegerArray maxPerTarget = new AtomicIntegerArray(3);
            int[] maxTotal = new int[1];
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                for (int i = 0; i < 5_000 && sampling.get(); i++) { // bounded: ~10 s at most
                    for (int t = 0; t < 3; t++) {
                        int n = engine.inFlight(targets[t]);
                        maxPerTarget.accumulateAndGet(t, n, Math::max);
                    }
                    maxTotal[0] = Math.max(maxTotal[0], engine.inFlight());
                    sleep(2);
                }
            });
            sampler.start();

            List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                for (UdpResponder r : responders) {
                    futures.add(engine.probe(ProbeRequest.udp(r.address(), Duration.ofMillis(200), new byte[0])));
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            sampling.set(false);
            sampler.join(5_000);

            for (int t = 0; t < 3; t++) {
                assertTrue(maxPerTarget.get(t) <= 4, "target " + t + " ran " + maxPerTarget.get(t));
                assertEquals(4, maxPerTarget.get(t), "target " + t + " should have used its 4 slots");
            }
            assertEquals(12, maxTotal[0], "the three targets run side by side");
            for (CompletableFuture<ProbeResult> f : futures) {
                ProbeResult result = f.getNow(null);
                assertEquals(ProbeReason.NO_REPLY, result.reason(), result.toString());
                assertTrue(result.latency().toMillis() < 1_000, "timeout counts from the start: " + result);
            }
            assertEquals(0, engine.inFlight(loopback(1)));
        } finally {
            for (UdpResponder r : responders) {
                r.close();
            }
        }
    }

    /**
     * 10 UDP starts per second with a burst of 2, 20 probes of one target submitted at once: the
     * first 2 start together, the rest one per ~100 ms, so the last starts after ~1.8 s; in no
     * one-second window are there more than rate + burst starts. Nothing is dropped, every probe
     * answers quickly (its timeout started when it did), and another target is not slowed.
     */
    @Test
    void udpStartsPerTargetArePaced() throws Exception {
        ProbeLimits limits = new ProbeLimits(64, 64, 10, 2);
        try (ProbeEngine engine = new ProbeEngine(limits);
                UdpResponder paced = UdpResponder.echo(loopback(1));
                UdpResponder other = UdpResponder.echo(loopback(2))) {
            List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(engine.probe(ProbeRequest.udp(paced.address(), Duration.ofSeconds(2), new byte[] {1})));
            }
            Instant submitted = Instant.now();
            ProbeResult unpaced = engine.probe(ProbeRequest.udp(other.address(), Duration.ofSeconds(2), new byte[] {1}))
                    .get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            List<Instant> starts = new ArrayList<>();
            for (CompletableFuture<ProbeResult> f : futures) {
                ProbeResult result = f.getNow(null);
                assertEquals(ProbeReason.REPLY, result.reason(), result.toString());
                assertTrue(result.latency().toMillis() < 500, "timed from its own start: " + result.latency());
                starts.add(result.startedAt());
            }
            starts.sort(null);
            long spanMillis = Duration.between(starts.get(0), starts.get(19)).toMillis();
            assertTrue(spanMillis >= 1_700, "20 starts at 10/s with burst 2 take ~1.8 s, took " + spanMillis + " ms");
            assertTrue(spanMillis < 4_000, spanMillis + " ms");
            assertTrue(maxStartsInAnySecond(starts) <= 10 + 2, "starts in one second: " + maxStartsInAnySecond(starts));
            assertTrue(Duration.between(submitted, unpaced.startedAt()).toMillis() < 200,
                    "another target starts at once: " + unpaced);
        }
    }

    private static int maxStartsInAnySecond(List<Instant> sortedStarts) {
        int max = 0;
        for (int i = 0; i < sortedStarts.size(); i++) {
            Instant end = sortedStarts.get(i).plusSeconds(1);
            int n = 0;
            for (int j = i; j < sortedStarts.size() && sortedStarts.get(j).isBefore(end); j++) {
                n++;
            }
            max = Math.max(max, n);
        }
        return max;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
