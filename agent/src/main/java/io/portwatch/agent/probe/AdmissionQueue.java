package io.portwatch.agent.probe;

import io.portwatch.core.check.Protocol;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>Selector thread only, except {@link #inFlight(InetAddress)} and
 * {@link #learnedIcmpIntervalNanos(InetAddress)}, which any thread may sample.
 */
final class AdmissionQueue {

    private record Entry(long key, Target target, long version) {
    }

    private static final class Target {
        final InetAddress address;
        final ArrayDeque<InFlightProbe> tcp = new ArrayDeque<>();
        final ArrayDeque<InFlightProbe> udp = new ArrayDeque<>();
        volatile int running;
        int udpRunning;
        /** Set with the first UDP probe: what the target's ICMP answers taught (kept across visits). */
        IcmpBudget budget;
        /** The token bucket, in nanoseconds of credit: one UDP start costs {@link #nanosPerToken}. */
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
    /** Outlives the Target, which goes when idle: a host's learned budget serves its next round. */
    private final Map<InetAddress, IcmpBudget> budgets = new HashMap<>();
    private long budgetsSweptAt;
    /**
     * The learned ICMP interval of each limited host, published for other threads (the agent's
     * budget monitor): the budgets themselves are the selector thread's alone.
     */
    private final Map<InetAddress, Long> learnedIntervals = new ConcurrentHashMap<>();
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
        Target t = enqueue(probe, now);
        if (probe.request().protocol() == Protocol.UDP) {
            t.budget.added(now);
        }
    }

    /**
     * Queues a UDP probe again whose silence may have been the target's ICMP rate limit (it was
     * {@link #finished} first). It goes to the back: the re-probe comes later, paced like any other.
     */
    void requeue(InFlightProbe probe, long now) {
        enqueue(probe, now);
    }

    /** The ICMP budget of a UDP probe's target (created with the probe's {@link #add}). */
    IcmpBudget budgetOf(InFlightProbe probe, long now) {
        return budget(targetOf(probe), now);
    }

    private IcmpBudget budget(InetAddress address, long now) {
        if (now - budgetsSweptAt > IcmpBudget.FORGET_AFTER_NANOS / 10) {
            budgetsSweptAt = now;
            budgets.entrySet().removeIf(e -> {
                boolean forget = e.getValue().forgettable(now);
                if (forget) {
                    learnedIntervals.remove(e.getKey());
                }
                return forget;
            });
        }
        return budgets.computeIfAbsent(address, a -> IcmpBudget.forAddress(a, nanosPerToken, now));
    }

    private Target enqueue(InFlightProbe probe, long now) {
        probe.arrival = arrivals++;
        Target t = targets.computeIfAbsent(targetOf(probe), a -> new Target(a, fullCredit, now));
        if (probe.request().protocol() == Protocol.UDP) {
            t.budget = budget(t.address, now); // the map's: a swept budget is replaced there
            t.udp.add(probe);
        } else {
            t.tcp.add(probe);
        }
        waiting++;
        if (!t.readyQueued) {
            // Appending behind a queued head changes nothing; only an idle or paced target may change.
            reconsider(t, now);
        }
        return t;
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
                if (probe.request().protocol() == Protocol.UDP) {
                    t.udpRunning++;
                }
            }
            reconsider(t, now);
            if (probe != null) {
                return probe;
            }
        }
        return null;
    }

    /**
     * A probe handed out by {@link #next} has finished, or stopped to be re-probed ({@code result}
     * null): its target has a free slot again. A UDP result tells the target's ICMP budget.
     */
    void finished(InFlightProbe probe, ProbeResult result, long now) {
        Target t = targets.get(targetOf(probe));
        boolean udp = probe.request().protocol() == Protocol.UDP;
        if (t != null) {
            t.running--;
            if (udp) {
                t.udpRunning--;
            }
        }
        if (udp && result != null) {
            IcmpBudget b = t != null && t.budget != null ? t.budget : budgets.get(targetOf(probe));
            if (b != null) {
                b.finished(result.reason() == ProbeReason.PORT_UNREACHABLE, now);
                publish(targetOf(probe), b);
            }
        }
        if (t != null) {
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

    /** Only a limited host has shown its budget; a change is rare, so the map is rarely written. */
    private void publish(InetAddress address, IcmpBudget b) {
        if (b.limited()) {
            Long old = learnedIntervals.get(address);
            if (old == null || old != b.intervalNanos()) {
                learnedIntervals.put(address, b.intervalNanos());
            }
        }
    }

    /**
     * The interval between ICMP answers learned for a host whose silences looked like its rate
     * limit, or 0 when none was learned (not limited yet, or forgotten). Any thread.
     */
    long learnedIcmpIntervalNanos(InetAddress address) {
        Long interval = learnedIntervals.get(address);
        return interval == null ? 0 : interval;
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
        long perToken = nanosPerToken(t);
        // A limited host runs one UDP probe at a time: it re-sends until the next token comes.
        boolean udpSlot = t.budget == null || !t.budget.limited() || t.udpRunning == 0;
        boolean udpStartable = !t.udp.isEmpty() && udpSlot && t.credit >= perToken;
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
        if (!t.udp.isEmpty() && udpSlot && !udpStartable) {
            paced.add(new Entry(now + (perToken - t.credit), t, t.version)); // a UDP slot frees via finished()
        }
        if (t.running == 0 && t.tcp.isEmpty() && t.udp.isEmpty()) {
            long full = fullCredit(t);
            if (t.credit >= full) {
                // A fresh Target would start with the same full bucket (a limited host's budget
                // is kept apart and makes it a bucket of one).
                targets.remove(t.address);
            } else {
                // Forget it once the bucket is full again, or a burst would restart too early.
                paced.add(new Entry(now + (full - t.credit), t, t.version));
            }
        }
    }

    /** The cost of one UDP start: the configured pacing, or the learned ICMP budget's. */
    private long nanosPerToken(Target t) {
        return t.budget == null ? nanosPerToken : t.budget.startIntervalNanos();
    }

    /** A limited host gets no burst: the kernel's own burst is spent by then. */
    private long fullCredit(Target t) {
        return t.budget != null && t.budget.limited() ? nanosPerToken(t) : fullCredit;
    }

    private void refill(Target t, long now) {
        long elapsed = now - t.refilledAt;
        long full = fullCredit(t);
        if (elapsed > 0 || t.credit > full) {
            t.credit = elapsed >= full ? full : Math.min(full, t.credit + Math.max(0, elapsed));
            t.refilledAt = now;
        }
    }

    /** The startable probe that came first; takes a token for UDP. */
    private InFlightProbe pollStartable(Target t, long now) {
        refill(t, now);
        long perToken = nanosPerToken(t);
        boolean udpSlot = t.budget == null || !t.budget.limited() || t.udpRunning == 0;
        InFlightProbe tcp = t.tcp.peek();
        InFlightProbe udp = udpSlot && t.credit >= perToken ? t.udp.peek() : null;
        if (tcp == null && udp == null) {
            return null;
        }
        if (udp == null || (tcp != null && tcp.arrival < udp.arrival)) {
            return t.tcp.poll();
        }
        t.credit -= perToken;
        return t.udp.poll();
    }
}
