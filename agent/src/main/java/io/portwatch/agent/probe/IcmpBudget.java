package io.portwatch.agent.probe;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * What the engine has learned about one destination's ICMP budget, from what came back.
 *
 * <p>A closed UDP port is known only from its ICMP port unreachable, and Linux sends those to one
 * destination from a token bucket ({@code net.ipv4.icmp_ratelimit}, 1000 ms by default: a burst
 * of about 6, then one per second; a datagram that finds no token is simply not answered, and costs
 * no token). So a silent probe proves nothing while the same host was answering its neighbours:
 * the silence may be the host's budget, not the port. This class tells the two apart, as far as
 * timing allows:
 *
 * <ul>
 *   <li>A silence is <em>suspect</em> when the host sent a port unreachable (to another probe) less
 *       than two learned intervals before this probe's last datagram, or after it: a token may not
 *       have been free for it. A suspect silence is re-probed later, at most {@link #MAX_REPROBES}
 *       times per probe and within a time per host that grows with its number of UDP probes.
 *   <li>A silence is <em>conclusive</em> ({@link Silence#NO_REPLY}) when the host answered nothing
 *       for two intervals before the last datagram and nothing since: a token was free and not used.
 *   <li>A silence still suspect when the bounds run out is {@link Silence#RATE_LIMITED}.
 * </ul>
 *
 * <p>The first suspect silence puts the host in <em>limited</em> mode: its UDP probes then run
 * one at a time, started no faster than 0.9 of the learned interval, without a burst. One probe
 * at a time re-sends within its timeout, so it catches the next token; the kernel keeps the
 * part of a token a late datagram did not use, so the host answers at its full rate as long as a
 * datagram is always pending. The interval is learned from the gaps between the host's port
 * unreachables while other probes waited (a moving average, starting from Linux's default of 1 s);
 * starting at 0.9 of it keeps probing whether the host allows more.
 *
 * <p>Loopback and this machine's own addresses are exempt (Linux does not rate-limit ICMP on the
 * loopback device): every silence there is conclusive. Selector thread only; public for
 * {@link #PRIOR_INTERVAL_NANOS} and {@link #isLocal}, which the check configuration's ICMP demand
 * ({@code config.IcmpDemand}) is measured against.
 */
public final class IcmpBudget {

    /** What a UDP silence means. */
    enum Silence {
        /** A token was free and unused: the port is open and silent, or the datagram was dropped. */
        NO_REPLY,
        /** The host's budget may have hidden the answer: probe again later. */
        REPROBE,
        /** Still suspect when the re-probes or the host's time ran out. */
        RATE_LIMITED
    }

    /** Linux's default {@code icmp_ratelimit}: the starting guess until gaps are measured. */
    public static final long PRIOR_INTERVAL_NANOS = 1_000_000_000L;
    /** No host is assumed slower than this; a longer gap is the host being idle, not its limit. */
    static final long MAX_INTERVAL_NANOS = 10_000_000_000L;
    /** Re-probes of one probe before its silence is reported as rate-limited. */
    static final int MAX_REPROBES = 8;
    /** Per UDP probe of a session, this many learned intervals of time for the host (see silence). */
    static final int SESSION_INTERVALS_PER_PROBE = 2;
    /** A host whose UDP probes are all done is forgotten after this long. */
    static final long FORGET_AFTER_NANOS = 600_000_000_000L;

    private final boolean exempt;
    private final long minIntervalNanos;
    private long intervalNanos = PRIOR_INTERVAL_NANOS;
    private boolean limited;
    private boolean heard;
    private long lastUnreachable;
    /** Other UDP probes of the host were pending when the last port unreachable came. */
    private boolean demandAtLastUnreachable;
    /** UDP probes of this host queued, running or waiting for a re-probe. */
    private int outstanding;
    private long sessionStart;
    private int sessionProbes;
    private long lastUsed;

    /**
     * @param exempt true for a destination the kernel does not rate-limit (loopback)
     * @param minIntervalNanos the configured per-host UDP start interval: never paced faster
     */
    IcmpBudget(boolean exempt, long minIntervalNanos, long now) {
        this.exempt = exempt;
        this.minIntervalNanos = Math.max(1, minIntervalNanos);
        this.lastUsed = now;
    }

    static IcmpBudget forAddress(InetAddress address, long minIntervalNanos, long now) {
        return new IcmpBudget(isLocal(address), minIntervalNanos, now);
    }

    /** Loopback or an address of this machine: traffic goes over the loopback device. */
    public static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false; // cannot tell: treat it as remote, the cautious side
        }
    }

    /** A new UDP probe of this host (not a re-probe) was queued. */
    void added(long now) {
        if (outstanding == 0) {
            sessionStart = now;
            sessionProbes = 0;
        }
        outstanding++;
        sessionProbes++;
        lastUsed = now;
    }

    /** A UDP probe of this host finished for good; {@code unreachable}: with a port unreachable. */
    void finished(boolean unreachable, long now) {
        outstanding = Math.max(0, outstanding - 1);
        lastUsed = now;
        if (outstanding == 0) {
            demandAtLastUnreachable = false; // the next gap starts idle
        }
        if (unreachable) {
            heardUnreachable(now);
        }
    }

    private void heardUnreachable(long now) {
        if (limited && heard && demandAtLastUnreachable) {
            // Only a gap during which others waited measures the host; an idle gap measures us.
            long gap = Math.min(now - lastUnreachable, MAX_INTERVAL_NANOS);
            intervalNanos = Math.max(minIntervalNanos, intervalNanos + (gap - intervalNanos) / 8);
        }
        heard = true;
        lastUnreachable = now;
        demandAtLastUnreachable = outstanding > 0;
    }

    /**
     * Judges a UDP probe that got no datagram and no ICMP before its deadline.
     *
     * @param lastSendNanos when it sent its last datagram
     * @param reprobes how often it was re-probed already
     * @param timeoutNanos its timeout (the host's time bound allows for one more)
     */
    Silence silence(long lastSendNanos, int reprobes, long timeoutNanos, long now) {
        lastUsed = now;
        if (exempt || !heard || lastUnreachable - (lastSendNanos - 2 * intervalNanos) < 0) {
            return Silence.NO_REPLY;
        }
        limited = true;
        if (reprobes >= MAX_REPROBES || now - sessionDeadline(timeoutNanos) > 0) {
            return Silence.RATE_LIMITED;
        }
        return Silence.REPROBE;
    }

    /** The host's UDP probes may take one learned interval per probe, twice over, plus two timeouts. */
    private long sessionDeadline(long timeoutNanos) {
        long perProbe = Math.max(intervalNanos, minIntervalNanos) * SESSION_INTERVALS_PER_PROBE;
        return sessionStart + sessionProbes * perProbe + 2 * timeoutNanos;
    }

    /** Whether silences of this host have looked like its rate limit. */
    boolean limited() {
        return limited;
    }

    /** The learned interval between the host's ICMP answers (the prior until measured). */
    long intervalNanos() {
        return intervalNanos;
    }

    /** The interval between UDP starts to this host: configured, or 0.9 of the learned interval. */
    long startIntervalNanos() {
        return limited ? Math.max(minIntervalNanos, intervalNanos / 10 * 9) : minIntervalNanos;
    }

    /** Whether nothing of this host is pending and it has not been used for a long time. */
    boolean forgettable(long now) {
        return outstanding == 0 && now - lastUsed > FORGET_AFTER_NANOS;
    }
}
