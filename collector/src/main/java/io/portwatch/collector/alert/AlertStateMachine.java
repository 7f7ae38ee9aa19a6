package io.portwatch.collector.alert;

import io.portwatch.collector.alert.AlertCondition.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The alert lifecycle of one subject (a rule applied to one port of one target), fed with each
 * voter's results in time order. Plain logic: the caller persists it and sends what it returns.
 *
 * <p>OK → PENDING (unhealthy, condition not met yet) → FIRING (condition met on a quorum) →
 * OK again when fewer than a quorum of voters are still unhealthy. A voter whose agent is down is
 * {@linkplain #unknown(String) unknown}: it neither fires nor resolves anything until it reports.
 */
public final class AlertStateMachine {

    public enum Phase { OK, PENDING, FIRING }

    /** Flapping is judged only once a voter has this many results (or the ratio says so anyway). */
    static final int MIN_FLAP_SAMPLES = 5;

    private final AlertCondition condition;
    private final Map<String, Voter> voters = new HashMap<>();
    private Phase phase = Phase.OK;
    private boolean flapping;
    /** Counts the changes to what {@link #snapshot()} holds: equal counts, equal snapshots. */
    private long changes;

    public AlertStateMachine(AlertCondition condition) {
        this.condition = condition;
    }

    /**
     * Everything the machine knows, to be stored and {@linkplain #restore restored}: a restarted
     * collector continues where it stopped instead of firing again or forgetting a streak.
     */
    public record Snapshot(Phase phase, boolean flapping, Map<String, VoterSnapshot> voters) {
        public Snapshot {
            voters = Map.copyOf(voters);
        }
    }

    /** @param history the voter's recent results, oldest first: {@code H} healthy, {@code U} unhealthy */
    public record VoterSnapshot(String history, int unhealthyStreak, int healthyStreak, Instant unhealthySince,
            boolean unknown) {}

    public Snapshot snapshot() {
        Map<String, VoterSnapshot> out = new HashMap<>();
        voters.forEach((name, v) -> out.put(name, v.snapshot()));
        return new Snapshot(phase, flapping, out);
    }

    /** A machine in the state of {@code snapshot}, judged by {@code condition} (which may have changed since). */
    public static AlertStateMachine restore(AlertCondition condition, Snapshot snapshot) {
        AlertStateMachine m = new AlertStateMachine(condition);
        m.phase = snapshot.phase();
        m.flapping = snapshot.flapping();
        snapshot.voters().forEach((name, s) -> m.voters.put(name, Voter.restore(condition.flapping().window(), s)));
        return m;
    }

    /** The voters (agents) that have reported on this subject, by name. */
    public Set<String> voters() {
        return new TreeSet<>(voters.keySet());
    }

    public Phase phase() {
        return phase;
    }

    public boolean flapping() {
        return flapping;
    }

    /**
     * Grows whenever the {@linkplain #snapshot() snapshot} would change (and only then, for a
     * steadily healthy or unhealthy voter): a caller that kept the count of the snapshot it
     * stored knows without taking a new one that nothing needs storing.
     */
    public long changes() {
        return changes;
    }

    /** One result of one voter. */
    public List<AlertTransition> observe(String voter, boolean healthy, Instant at) {
        Voter v = voters.get(voter);
        if (v == null) {
            v = new Voter(condition.flapping().window());
            voters.put(voter, v);
            changes++;
        }
        if (v.observe(healthy, at, unhealthyCap(condition.trigger()), condition.recoverAfter())) {
            changes++;
        }
        return evaluate(at);
    }

    /** The most an unhealthy streak is compared with: {@code after:} results, or "any" for {@code for:}. */
    private static int unhealthyCap(Trigger trigger) {
        return trigger instanceof Trigger.After after ? Math.max(1, after.results()) : 1;
    }

    /** Time passing without results, for {@code for:} conditions. */
    public List<AlertTransition> tick(Instant now) {
        return evaluate(now);
    }

    /**
     * The voter's agent stopped reporting: its state no longer counts either way.
     *
     * @return whether this changed anything (the voter was known and not unknown yet)
     */
    public boolean unknown(String voter) {
        Voter v = voters.get(voter);
        if (v == null || v.unknown) {
            return false;
        }
        v.unknown = true;
        changes++;
        return true;
    }

    private List<AlertTransition> evaluate(Instant now) {
        Phase phaseBefore = phase;
        boolean flappingBefore = flapping;
        List<AlertTransition> out = judge(now);
        if (phase != phaseBefore || flapping != flappingBefore) {
            changes++;
        }
        return out;
    }

    /**
     * Runs for every result: loops instead of streams, and nothing allocated unless something
     * happens (the names of the triggered voters are collected only when the alert fires).
     */
    private List<AlertTransition> judge(Instant now) {
        List<AlertTransition> out = List.of();
        boolean nowFlapping = nowFlapping();
        if (nowFlapping != flapping) {
            flapping = nowFlapping;
            out = with(out, flapping ? new AlertTransition.FlappingStarted(now) : new AlertTransition.FlappingStopped(now));
        }
        int triggered = 0;
        int stillUnhealthy = 0;
        boolean anyUnhealthy = false;
        for (Voter v : voters.values()) {
            // An unknown voter keeps its last known state: it cannot help fire (it is not
            // reporting), but a firing alert is not resolved by its silence either.
            if (!v.recovered(condition.recoverAfter())) {
                stillUnhealthy++;
            }
            if (v.unknown) {
                continue;
            }
            if (v.triggered(condition.trigger(), now)) {
                triggered++;
            }
            anyUnhealthy |= v.unhealthyStreak > 0;
        }
        switch (phase) {
            case OK, PENDING -> {
                if (triggered >= condition.quorum()) {
                    if (!flapping) {
                        phase = Phase.FIRING;
                        out = with(out, new AlertTransition.Fired(now, triggeredVoters(now)));
                    }
                } else {
                    phase = anyUnhealthy ? Phase.PENDING : Phase.OK;
                }
            }
            case FIRING -> {
                if (stillUnhealthy < condition.quorum() && !flapping) {
                    phase = anyUnhealthy ? Phase.PENDING : Phase.OK;
                    out = with(out, new AlertTransition.Resolved(now));
                }
            }
        }
        return out;
    }

    /** Flapping starts when a voter changes more than the high share; it ends when all change less than the low one. */
    private boolean nowFlapping() {
        AlertCondition.Flapping f = condition.flapping();
        for (Voter v : voters.values()) {
            double changed = v.changePercent();
            if (flapping ? changed >= f.lowPercent() : changed > f.highPercent()) {
                return true;
            }
        }
        return false;
    }

    private Set<String> triggeredVoters(Instant now) {
        Set<String> names = new TreeSet<>();
        voters.forEach((name, v) -> {
            if (!v.unknown && v.triggered(condition.trigger(), now)) {
                names.add(name);
            }
        });
        return names;
    }

    private static List<AlertTransition> with(List<AlertTransition> out, AlertTransition t) {
        List<AlertTransition> more = new ArrayList<>(out);
        more.add(t);
        return more;
    }

    /** One agent's view of the subject. */
    private static final class Voter {
        final int window;
        final Deque<Boolean> history = new ArrayDeque<>();
        /** How many of history are unhealthy. */
        int unhealthyInHistory;
        /** How many consecutive results of history differ: the flap share without a walk over the history. */
        int changesInHistory;
        int unhealthyStreak;
        int healthyStreak;
        Instant unhealthySince;
        boolean unknown;

        Voter(int window) {
            this.window = window;
        }

        VoterSnapshot snapshot() {
            StringBuilder h = new StringBuilder(history.size());
            history.forEach(healthy -> h.append(healthy ? 'H' : 'U'));
            return new VoterSnapshot(h.toString(), unhealthyStreak, healthyStreak, unhealthySince, unknown);
        }

        static Voter restore(int window, VoterSnapshot s) {
            Voter v = new Voter(window);
            String h = s.history();
            // A smaller window since the snapshot keeps the newest results only.
            for (int i = Math.max(0, h.length() - window); i < h.length(); i++) {
                v.append(h.charAt(i) == 'H');
            }
            v.unhealthyStreak = s.unhealthyStreak();
            v.healthyStreak = s.healthyStreak();
            v.unhealthySince = s.unhealthySince();
            v.unknown = s.unknown();
            return v;
        }

        /**
         * Each streak stops counting where the condition stops comparing it: the healthy one at
         * {@code healthyCap} (recover_after), the unhealthy one at {@code unhealthyCap}. A voter
         * steadily healthy, or steadily unhealthy (a port closed for days), then stays in one
         * state, which need not be stored again for every result.
         *
         * @return whether this changed the voter's snapshot
         */
        boolean observe(boolean healthy, Instant at, int unhealthyCap, int healthyCap) {
            // A full history of nothing but this result's health stays as it is when it shifts.
            boolean sameHistory = history.size() == window && unhealthyInHistory == (healthy ? 0 : window);
            boolean wasUnknown = unknown;
            int unhealthyBefore = unhealthyStreak;
            int healthyBefore = healthyStreak;
            Instant sinceBefore = unhealthySince;
            unknown = false;
            if (healthy) {
                healthyStreak = Math.min(healthyStreak + 1, healthyCap);
                unhealthyStreak = 0;
                unhealthySince = null;
            } else {
                unhealthyStreak = Math.min(unhealthyStreak + 1, unhealthyCap);
                healthyStreak = 0;
                if (unhealthySince == null) {
                    unhealthySince = at;
                }
            }
            append(healthy);
            if (history.size() > window) {
                boolean dropped = history.removeFirst();
                unhealthyInHistory -= dropped ? 0 : 1;
                Boolean first = history.peekFirst();
                changesInHistory -= first != null && first != dropped ? 1 : 0;
            }
            return !sameHistory || wasUnknown || unhealthyBefore != unhealthyStreak || healthyBefore != healthyStreak
                    || !java.util.Objects.equals(sinceBefore, unhealthySince);
        }

        private void append(boolean healthy) {
            Boolean last = history.peekLast();
            changesInHistory += last != null && last != healthy ? 1 : 0;
            history.addLast(healthy);
            unhealthyInHistory += healthy ? 0 : 1;
        }

        boolean triggered(Trigger trigger, Instant now) {
            if (trigger instanceof Trigger.After after) {
                return unhealthyStreak >= after.results();
            }
            Duration d = ((Trigger.For) trigger).duration();
            return unhealthySince != null && !unhealthySince.plus(d).isAfter(now);
        }

        boolean recovered(int recoverAfter) {
            return healthyStreak >= recoverAfter || (unhealthyStreak == 0 && healthyStreak == 0);
        }

        /**
         * Changes between consecutive results as a share of the results seen (at least
         * {@link #MIN_FLAP_SAMPLES}, so a new voter's first change is not 100 % flapping), 0-100.
         */
        double changePercent() {
            return changesInHistory * 100.0 / (Math.max(history.size(), MIN_FLAP_SAMPLES) - 1);
        }
    }
}
