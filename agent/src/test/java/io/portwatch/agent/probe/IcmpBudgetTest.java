package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.probe.IcmpBudget.Silence;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The ICMP budget's verdicts and what it learns, on a made-up clock. */
class IcmpBudgetTest {

    private static final long MS = 1_000_000;
    private static final long S = 1_000 * MS;
    private static final long TIMEOUT = 2 * S;
    /** The engine's default pacing: 20 UDP starts per second. */
    private static final long CONFIGURED = 50 * MS;

    private static IcmpBudget remote() {
        return new IcmpBudget(false, CONFIGURED, 0);
    }

    @Test
    void silenceOfAHostThatNeverAnsweredIsConclusive() {
        IcmpBudget b = remote();
        b.added(0);

        assertEquals(Silence.NO_REPLY, b.silence(S, 0, TIMEOUT, 2 * S));
        assertFalse(b.limited());
    }

    @Test
    void silenceWhileANeighbourGotItsUnreachableIsReprobedAndLimitsTheHost() {
        IcmpBudget b = remote();
        b.added(0);
        b.added(0);
        b.finished(true, 1 * S); // the neighbour's port unreachable, during our probe

        assertEquals(Silence.REPROBE, b.silence(1_300 * MS, 0, TIMEOUT, 2 * S));
        assertTrue(b.limited());
        assertEquals(900 * MS, b.startIntervalNanos(), "0.9 of the 1 s prior until gaps are measured");
    }

    @Test
    void silenceLongAfterTheLastUnreachableIsConclusive() {
        IcmpBudget b = remote();
        b.added(0);
        b.added(0);
        b.finished(true, 0);

        // Last datagram 2.5 s after the host's last answer: a token was free, and unused.
        assertEquals(Silence.NO_REPLY, b.silence(2_500 * MS, 3, TIMEOUT, 3 * S));
    }

    @Test
    void reprobesAreBoundedPerProbe() {
        IcmpBudget b = remote();
        for (int i = 0; i < 100; i++) {
            b.added(0);
        }
        b.finished(true, S);

        assertEquals(Silence.REPROBE, b.silence(S, IcmpBudget.MAX_REPROBES - 1, TIMEOUT, 2 * S));
        assertEquals(Silence.RATE_LIMITED, b.silence(S, IcmpBudget.MAX_REPROBES, TIMEOUT, 2 * S));
    }

    @Test
    void aHostsTimeIsBoundedByItsProbeCountAndInterval() {
        IcmpBudget b = remote();
        b.added(0);
        b.added(0);
        // Two probes at the 1 s prior: 2 x 2 x 1 s, plus two timeouts = 8 s.
        b.finished(true, 7 * S);
        assertEquals(Silence.REPROBE, b.silence(7 * S, 0, TIMEOUT, 8 * S));
        b.finished(true, 9 * S);
        assertEquals(Silence.RATE_LIMITED, b.silence(9 * S, 0, TIMEOUT, 9 * S));
    }

    @Test
    void theIntervalIsLearnedFromGapsWhileOthersWaited() {
        IcmpBudget b = remote();
        for (int i = 0; i < 200; i++) {
            b.added(0);
        }
        b.finished(true, 0);
        b.silence(0, 0, TIMEOUT, TIMEOUT); // limited from here
        long t = 0;
        for (int i = 0; i < 100; i++) {
            t += 250 * MS; // a host with icmp_ratelimit=250
            b.finished(true, t);
        }
        assertTrue(Math.abs(b.intervalNanos() - 250 * MS) < 5 * MS, "learned " + b.intervalNanos() / MS + " ms");
        assertEquals(225 * MS, b.startIntervalNanos(), 2 * MS);
    }

    @Test
    void anIdleGapIsNotALimit() {
        IcmpBudget b = remote();
        b.added(0);
        b.added(0);
        b.finished(true, 0);
        b.silence(0, 0, TIMEOUT, TIMEOUT); // limited
        b.finished(false, 1 * S); // nothing of the host is pending now
        b.added(60 * S);
        b.finished(true, 60 * S);

        assertEquals(IcmpBudget.PRIOR_INTERVAL_NANOS, b.intervalNanos());
    }

    @Test
    void neverPacedFasterThanConfigured() {
        IcmpBudget b = new IcmpBudget(false, 2 * S, 0);
        b.added(0);
        b.added(0);
        b.finished(true, 0);
        b.silence(0, 0, TIMEOUT, TIMEOUT);

        assertEquals(2 * S, b.startIntervalNanos());
    }

    @Test
    void loopbackIsExempt() throws Exception {
        IcmpBudget b = IcmpBudget.forAddress(InetAddress.getByName("127.0.0.1"), CONFIGURED, 0);
        b.added(0);
        b.added(0);
        b.finished(true, S);

        assertEquals(Silence.NO_REPLY, b.silence(S, 0, TIMEOUT, 2 * S), "Linux does not rate-limit ICMP on lo");
        assertTrue(IcmpBudget.isLocal(InetAddress.getByName("::1")));
        assertFalse(IcmpBudget.isLocal(InetAddress.getByName("198.18.0.1")));
    }
}
