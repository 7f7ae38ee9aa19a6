package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission rules on their own, with a made-up clock: no sockets, no threads. */
class AdmissionQueueTest {

    private static final long MS = 1_000_000;

    /** A probe that is never started; only its request matters here. */
    private static final class Waiting extends InFlightProbe {
        Waiting(Protocol protocol, int lastOctet) throws Exception {
            this(protocol, InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastOctet}));
        }

        Waiting(Protocol protocol, InetAddress address) {
            super(new ProbeRequest(protocol, new InetSocketAddress(address, 7), Duration.ofSeconds(1), null));
        }

        @Override
        protected void start() {
        }

        @Override
        protected void onReady(SelectionKey key) {
        }

        @Override
        protected void onDeadline(long nowNanos) {
        }

        @Override
        protected void release() {
        }
    }

    /**
     * Once a remote host's silences look like its ICMP rate limit, its UDP probes run one at a time,
     * no burst, started 0.9 of the learned interval apart (the 1 s prior here); TCP is unaffected.
     */
    @Test
    void aRateLimitedHostRunsOneUdpProbeAtATime() throws Exception {
        AdmissionQueue queue = new AdmissionQueue(new ProbeLimits(100, 4, 20, 5));
        InetAddress remote = InetAddress.getByName("198.18.0.2"); // never sent to: no socket here
        Waiting a = new Waiting(Protocol.UDP, remote);
        Waiting b = new Waiting(Protocol.UDP, remote);
        Waiting c = new Waiting(Protocol.UDP, remote);
        Waiting d = new Waiting(Protocol.UDP, remote);
        Waiting tcp = new Waiting(Protocol.TCP, remote);
        for (Waiting p : List.of(a, b, c, d)) {
            queue.add(p, 0);
        }
        assertSame(a, queue.next(0));
        assertSame(b, queue.next(0), "before any sign of a limit: the configured burst");
        queue.finished(a, closed(a), 10 * MS);
        assertEquals(IcmpBudget.Silence.REPROBE,
                queue.budgetOf(b, 1_000 * MS).silence(700 * MS, 0, 1_000 * MS, 1_000 * MS));
        queue.finished(b, null, 1_000 * MS);
        queue.requeue(b, 1_000 * MS);

        assertSame(c, queue.next(1_000 * MS));
        assertNull(queue.next(1_000 * MS), "one UDP probe at a time");
        queue.add(tcp, 1_000 * MS);
        assertSame(tcp, queue.next(1_000 * MS), "TCP of the host is not held back");
        queue.finished(c, closed(c), 1_500 * MS);
        // The gap since a's answer, while others waited, moved the learned interval off the prior.
        long pace = queue.budgetOf(c, 1_500 * MS).startIntervalNanos();
        assertTrue(pace > 900 * MS && pace < 1_000 * MS, "0.9 of the learned interval: " + pace);
        assertNull(queue.next(1_500 * MS), "paced: one interval after c started");
        assertEquals(1_000 * MS + pace - 1_500 * MS, queue.nanosUntilToken(1_500 * MS));
        long dStarts = 1_000 * MS + pace;
        assertSame(d, queue.next(dStarts));
        queue.finished(d, closed(d), 2_000 * MS);
        long bStarts = dStarts + queue.budgetOf(d, 2_000 * MS).startIntervalNanos();
        assertNull(queue.next(bStarts - 1));
        assertSame(b, queue.next(bStarts), "the re-probe came back behind the probes already waiting");
    }

    private static ProbeResult closed(Waiting p) {
        return new ProbeResult(PortState.CLOSED, ProbeReason.PORT_UNREACHABLE, p.request().address(),
                Duration.ZERO, java.time.Instant.EPOCH, "");
    }

    @Test
    void perTargetLimitHoldsBackOnlyThatTarget() throws Exception {
        AdmissionQueue queue = new AdmissionQueue(new ProbeLimits(100, 2, 1000, 100));
        Waiting a1 = new Waiting(Protocol.TCP, 1);
        Waiting a2 = new Waiting(Protocol.TCP, 1);
        Waiting a3 = new Waiting(Protocol.TCP, 1);
        Waiting b1 = new Waiting(Protocol.TCP, 2);
        for (Waiting p : List.of(a1, a2, a3, b1)) {
            queue.add(p, 0);
        }
        assertSame(a1, queue.next(0));
        assertSame(a2, queue.next(0));
        assertSame(b1, queue.next(0), "a3 waits for a slot of 127.0.0.1; 127.0.0.2 goes ahead");
        assertNull(queue.next(0));
        assertEquals(2, queue.inFlight(InetAddress.getByName("127.0.0.1")));
        assertEquals(1, queue.waiting());

        queue.finished(a1, null, 0);
        assertSame(a3, queue.next(0));
        assertEquals(0, queue.waiting());
    }

    @Test
    void firstComeFirstServedAcrossTargets() throws Exception {
        AdmissionQueue queue = new AdmissionQueue(new ProbeLimits(100, 4, 1000, 100));
        Waiting[] order = {
            new Waiting(Protocol.TCP, 3), new Waiting(Protocol.UDP, 1), new Waiting(Protocol.TCP, 2),
            new Waiting(Protocol.TCP, 1), new Waiting(Protocol.UDP, 3),
        };
        for (Waiting p : order) {
            queue.add(p, 0);
        }
        for (Waiting p : order) {
            assertSame(p, queue.next(0));
        }
    }

    /** 10 UDP starts per second with a burst of 2: two at once, then one every 100 ms. */
    @Test
    void udpStartsArePacedPerTargetAndTcpIsNot() throws Exception {
        AdmissionQueue queue = new AdmissionQueue(new ProbeLimits(100, 100, 10, 2));
        Waiting[] udp = new Waiting[5];
        for (int i = 0; i < udp.length; i++) {
            udp[i] = new Waiting(Protocol.UDP, 1);
            queue.add(udp[i], 0);
        }
        Waiting tcp = new Waiting(Protocol.TCP, 1);
        Waiting otherTarget = new Waiting(Protocol.UDP, 2);
        queue.add(tcp, 0);
        queue.add(otherTarget, 0);

        assertSame(udp[0], queue.next(0));
        assertSame(udp[1], queue.next(0));
        assertSame(tcp, queue.next(0), "TCP is not paced");
        assertSame(otherTarget, queue.next(0), "another target has its own bucket");
        assertNull(queue.next(0));
        assertEquals(100 * MS, queue.nanosUntilToken(0));

        assertNull(queue.next(99 * MS));
        assertSame(udp[2], queue.next(100 * MS));
        assertNull(queue.next(150 * MS));
        assertSame(udp[3], queue.next(200 * MS));
        assertTrue(queue.hasReady(300 * MS));
        assertSame(udp[4], queue.next(300 * MS));
        assertEquals(0, queue.waiting());
    }

    @Test
    void drainReturnsEveryWaitingProbeInArrivalOrder() throws Exception {
        AdmissionQueue queue = new AdmissionQueue(new ProbeLimits(100, 1, 1, 1));
        Waiting running = new Waiting(Protocol.TCP, 1);
        Waiting tcp = new Waiting(Protocol.TCP, 1);
        Waiting udp = new Waiting(Protocol.UDP, 2);
        Waiting paced = new Waiting(Protocol.UDP, 2);
        for (Waiting p : List.of(running, tcp, udp, paced)) {
            queue.add(p, 0);
        }
        assertSame(running, queue.next(0));
        assertSame(udp, queue.next(0));

        assertEquals(List.of(tcp, paced), queue.drain());
        assertEquals(0, queue.waiting());
        assertNull(queue.next(Long.MAX_VALUE / 2));
    }
}
