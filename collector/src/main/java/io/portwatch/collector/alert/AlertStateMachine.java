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

    public AlertStateMachine(AlertCondition condition) {
        this.condition = condition;
    }

    public Phase phase() {
        return phase;
    }

    public boolean flapping() {
        return flapping;
    }

    /** One result of one voter. */
    public List<AlertTransition> observe(String voter, boolean healthy, Instant at) {
        voters.computeIfAbsent(voter, v -> new Voter(condition.flapping().window())).observe(healthy, at);
        return evaluate(at);
    }

    /** Time passing without results, for {@code for:} conditions. */
    public List<AlertTransition> tick(Instant now) {
        return evaluate(now);
    }

    /** The voter's agent stopped reporting: its state no longer counts either way. */
    public void unknown(String voter) {
        Voter v = voters.get(voter);
        if (v != null) {
            v.unknown = true;
        }
    }

    private List<AlertTransition> evaluate(Instant now) {
        List<AlertTransition> out = new ArrayList<>();
        boolean nowFlapping = flapping
                ? voters.values().stream().anyMatch(v -> v.changePercent() >= condition.flapping().lowPercent())
                : voters.values().stream().anyMatch(v -> v.changePercent() > condition.flapping().highPercent());
        if (nowFlapping != flapping) {
            flapping = nowFlapping;
            out.add(flapping ? new AlertTransition.FlappingStarted(now) : new AlertTransition.FlappingStopped(now));
        }
        Set<String> triggered = new TreeSet<>();
        int stillUnhealthy = 0;
        boolean anyUnhealthy = false;
        for (Map.Entry<String, Voter> e : voters.entrySet()) {
            Voter v = e.getValue();
            // An unknown voter keeps its last known state: it cannot help fire (it is not
            // reporting), but a firing alert is not resolved by its silence either.
            if (!v.recovered(condition.recoverAfter())) {
                stillUnhealthy++;
            }
            if (v.unknown) {
                continue;
            }
            if (v.triggered(condition.trigger(), now)) {
                triggered.add(e.getKey());
            }
            anyUnhealthy |= v.unhealthyStreak > 0;
        }
        switch (phase) {
            case OK, PENDING -> {
                if (triggered.size() >= condition.quorum()) {
                    if (!flapping) {
                        phase = Phase.FIRING;
                        out.add(new AlertTransition.Fired(now, triggered));
                    }
                } else {
                    phase = anyUnhealthy ? Phase.PENDING : Phase.OK;
                }
            }
            case FIRING -> {
                if (stillUnhealthy < condition.quorum() && !flapping) {
                    phase = anyUnhealthy ? Phase.PENDING : Phase.OK;
                    out.add(new AlertTransition.Resolved(now));
                }
            }
        }
        return out;
    }

    /** One agent's view of the subject. */
    private static final class Voter {
        final int window;
        final Deque<Boolean> history = new ArrayDeque<>();
        int unhealthyStreak;
        int healthyStreak;
        Instant unhealthySince;
        boolean unknown;

        Voter(int window) {
            this.window = window;
        }

        void observe(boolean healthy, Instant at) {
            unknown = false;
            if (healthy) {
                healthyStreak++;
                unhealthyStreak = 0;
                unhealthySince = null;
            } else {
                unhealthyStreak++;
                healthyStreak = 0;
                if (unhealthySince == null) {
                    unhealthySince = at;
                }
            }
            history.addLast(healthy);
            if (history.size() > window) {
                history.removeFirst();
            }
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
            int changes = 0;
            Boolean previous = null;
            for (Boolean h : history) {
                if (previous != null && !previous.equals(h)) {
                    changes++;
                }
                previous = h;
            }
            return changes * 100.0 / (Math.max(history.size(), MIN_FLAP_SAMPLES) - 1);
        }
    }
}
