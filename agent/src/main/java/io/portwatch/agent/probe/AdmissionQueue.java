package io.portwatch.agent.probe;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes waiting to start, and which one may start next: first come, first served across targets,
 * but at most {@code maxInFlightPerTarget} running per IP address and UDP starts per IP address
 * paced by a token bucket. A target at its limit never holds up the probes of other targets.
 *
 * <p>Each target keeps its waiting TCP and UDP probes in two FIFO queues (pacing holds back only
 * UDP). Targets with a startable probe sit in {@code ready}, keyed by that probe's arrival number;
 * targets whose UDP probe waits for a token sit in {@code paced}, keyed by when the token comes.
 * Entries are snapshots: a target's {@code version} changes whenever its situation does, and
 * entries of an older version are skipped when they surface (cheaper than removing from a heap).
 *
 * <p>Selector thread only, except {@link #inFlight(InetAddress)}, which any thread may sample.
 */
final class AdmissionQueue {

    private record Entry(long key, Target target, long version) {
    }

    private static final class Target {
        final InetAddress address;
        final ArrayDeque<InFlightProbe> tcp = new ArrayDeque<>();
        final ArrayDeque<InFlightProbe> udp = new ArrayDeque<>();
        volatile int running;
        /** The token bucket, in nanoseconds of credit: one UDP start costs {@code nanosPerToken}. */
        long credit;
        long refilledAt;
        long version;
        boolean readyQueued; // an entry of the current version is in `ready`

        Target(InetAddress address, long fullCredit, long now) {
            this.address = address;
            this.credit = fullCredit;
            this.refilledAt = now;
        }
    }

    private final int perTargetLimit;
    private final long nanosPerToken;
    private final long fullCredit;
    private final Map<InetAddress, Target> targets = new ConcurrentHashMap<>();
    private final PriorityQueue<Entry> ready = new PriorityQueue<>((a, b) -> Long.compare(a.key, b.key));
    private final PriorityQueue<Entry> paced = new PriorityQueue<>((a, b) -> Long.compare(a.key - b.key, 0));
    private long arrivals;
    private int waiting;

    AdmissionQueue(ProbeLimits limits) {
        this.perTargetLimit = limits.maxInFlightPerTarget();
        // Whole nanoseconds keep the bucket exact: no drift, no token arriving 1 ns "too early".
        this.nanosPerToken = Math.max(1, Math.round(1e9 / limits.udpStartsPerSecond()));
        this.fullCredit = Math.multiplyExact(nanosPerToken, (long) limits.udpBurst());
    }

    void add(InFlightProbe probe, long now) {
        probe.arrival = arrivals++;
        Target t = targets.computeIfAbsent(targetOf(probe), a -> new Target(a, fullCredit, now));
        (probe.request().protocol() == Protocol.UDP ? t.udp : t.tcp).add(probe);
        waiting++;
        if (!t.readyQueued) {
            // Appending behind a queued head changes nothing; only an idle or paced target may change.
            reconsider(t, now);
        }
    }

    /** The next probe that may start now (counted as running from here on), or null. */
    InFlightProbe next(long now) {
        promoteDuePaced(now);
        for (Entry e; (e = ready.poll()) != null; ) {
            Target t = e.target;
            if (e.version != t.version) {
                continue;
            }
            t.readyQueued = false;
            InFlightProbe probe = pollStartable(t, now);
            if (probe != null) {
                waiting--;
                t.running++;
            }
            reconsider(t, now);
            if (probe != null) {
                return probe;
            }
        }
        return null;
    }

    /** A probe handed out by {@link #next} has finished: its target has a free slot again. */
    void finished(InFlightProbe probe, long now) {
        Target t = targets.get(targetOf(probe));
        if (t != null) {
            t.running--;
            reconsider(t, now);
        }
    }

    /** Whether {@link #next} would return a probe now (ignores paced targets not yet due). */
    boolean hasReady(long now) {
        promoteDuePaced(now);
        for (Entry e; (e = ready.peek()) != null; ready.poll()) {
            if (e.version == e.target.version) {
                return true;
            }
        }
        return false;
    }

    /** Nanoseconds until a paced target gets its token (0 if due), or {@link Long#MAX_VALUE}. */
    long nanosUntilToken(long now) {
        Entry head = paced.peek();
        return head == null ? Long.MAX_VALUE : Math.max(0, head.key - now);
    }

    int waiting() {
        return waiting;
    }

    int inFlight(InetAddress address) {
        Target t = targets.get(address);
        return t == null ? 0 : t.running;
    }

    /** Removes and returns every waiting probe (shutdown). */
    List<InFlightProbe> drain() {
        List<InFlightProbe> all = new ArrayList<>(waiting);
        for (Target t : targets.values()) {
            all.addAll(t.tcp);
            all.addAll(t.udp);
            t.tcp.clear();
            t.udp.clear();
            t.version++;
        }
        all.sort((a, b) -> Long.compare(a.arrival, b.arrival));
        ready.clear();
        paced.clear();
        waiting = 0;
        return all;
    }

    // ---- internals ------------------------------------------------------------------------

    private static InetAddress targetOf(InFlightProbe probe) {
        return probe.request().address().getAddress();
    }

    private void promoteDuePaced(long now) {
        for (Entry e; (e = paced.peek()) != null && e.key - now <= 0; ) {
            paced.poll();
            if (e.version == e.target.version) {
                reconsider(e.target, now);
            }
        }
    }

    /** Files the target under what it waits for now; forgets it when it waits for nothing. */
    private void reconsider(Target t, long now) {
        t.version++;
        t.readyQueued = false;
        if (t.running >= perTargetLimit) {
            return; // finished() brings it back
        }
        refill(t, now);
        boolean udpStartable = !t.udp.isEmpty() && t.credit >= nanosPerToken;
        long key = Long.MAX_VALUE;
        if (!t.tcp.isEmpty()) {
            key = t.tcp.peek().arrival;
        }
        if (udpStartable) {
            key = Math.min(key, t.udp.peek().arrival);
        }
        if (key != Long.MAX_VALUE) {
            ready.add(new Entry(key, t, t.version));
            t.readyQueued = true;
        }
        if (!t.udp.isEmpty() && !udpStartable) {
            paced.add(new Entry(now + (nanosPerToken - t.credit), t, t.version));
        }
        if (t.running == 0 && t.tcp.isEmpty() && t.udp.isEmpty()) {
            if (t.credit >= fullCredit) {
                targets.remove(t.address); // a fresh Target would start with the same full bucket
            } else {
                // Forget it once the bucket is full again, or a burst would restart too early.
                paced.add(new Entry(now + (fullCredit - t.credit), t, t.version));
            }
        }
    }

    private void refill(Target t, long now) {
        long elapsed = now - t.refilledAt;
        if (elapsed > 0) {
            t.credit = elapsed >= fullCredit ? fullCredit : Math.min(fullCredit, t.credit + elapsed);
            t.refilledAt = now;
        }
    }

    /** The startable probe that came first; takes a token for UDP. */
    private InFlightProbe pollStartable(Target t, long now) {
        refill(t, now);
        InFlightProbe tcp = t.tcp.peek();
        InFlightProbe udp = t.credit >= nanosPerToken ? t.udp.peek() : null;
        if (tcp == null && udp == null) {
            return null;
        }
        if (udp == null || (tcp != null && tcp.arrival < udp.arrival)) {
            return t.tcp.poll();
        }
        t.credit -= nanosPerToken;
        return t.udp.poll();
    }
}
