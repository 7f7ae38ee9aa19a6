package io.portwatch.collector.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.alert.AlertCondition.Flapping;
import io.portwatch.collector.alert.AlertCondition.Trigger;
import io.portwatch.collector.alert.AlertStateMachine.Phase;
import io.portwatch.collector.alert.AlertTransition.Fired;
import io.portwatch.collector.alert.AlertTransition.FlappingStarted;
import io.portwatch.collector.alert.AlertTransition.FlappingStopped;
import io.portwatch.collector.alert.AlertTransition.Resolved;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private int second;

    private Instant next() {
        return T0.plusSeconds(++second);
    }

    private static AlertStateMachine machine(Trigger trigger, int recoverAfter, int quorum) {
        return new AlertStateMachine(new AlertCondition(trigger, recoverAfter, quorum, Flapping.DEFAULT));
    }

    @Test
    void afterThreeFiresOnTheThirdConsecutiveUnhealthyResultOnly() {
        AlertStateMachine m = machine(new Trigger.After(3), 1, 1);
        assertEquals(List.of(), m.observe("a", false, next()));
        assertEquals(Phase.PENDING, m.phase());
        assertEquals(List.of(), m.observe("a", true, next()));
        assertEquals(Phase.OK, m.phase(), "a healthy result resets the count");
        m.observe("a", false, next());
        m.observe("a", false, next());
        Instant third = next();
        assertEquals(List.of(new Fired(third, Set.of("a"))), m.observe("a", false, third));
        assertEquals(Phase.FIRING, m.phase());
        assertEquals(List.of(), m.observe("a", false, next()), "fires once");
    }

    @Test
    void aSteadilyUnhealthyOrHealthyVoterStopsChangingItsStoredState() {
        for (Trigger trigger : List.of(new Trigger.After(3), new Trigger.For(Duration.ofMinutes(2)))) {
            AlertStateMachine m = machine(trigger, 2, 1);
            for (boolean healthy : new boolean[] {false, true}) {
                // past the flapping window, the streak caps and the history is all one letter
                for (int i = 0; i < Flapping.DEFAULT.window() + 3; i++) {
                    m.observe("a", healthy, next());
                }
                AlertStateMachine.Snapshot settled = m.snapshot();
                m.observe("a", healthy, next());
                assertEquals(settled, m.snapshot(), trigger + ", healthy " + healthy + ": nothing new to store");
            }
        }
        AlertStateMachine m = machine(new Trigger.After(3), 1, 1);
        for (int i = 0; i < 10; i++) {
            m.observe("a", false, next());
        }
        m.observe("a", true, next());
        assertEquals(Phase.OK, m.phase(), "a capped streak still resolves on recover_after healthy results");
    }

    @Test
    void recoverAfterTwoResolvesOnTheSecondHealthyResult() {
        AlertStateMachine m = machine(new Trigger.After(1), 2, 1);
        m.observe("a", false, next());
        assertEquals(List.of(), m.observe("a", true, next()));
        assertEquals(Phase.FIRING, m.phase());
        Instant second = next();
        assertEquals(List.of(new Resolved(second)), m.observe("a", true, second));
        assertEquals(Phase.OK, m.phase());
    }

    @Test
    void forTwoMinutesFiresByTheClockEvenWithoutNewResults() {
        AlertStateMachine m = machine(new Trigger.For(Duration.ofMinutes(2)), 1, 1);
        m.observe("a", false, T0);
        assertEquals(List.of(), m.tick(T0.plusSeconds(119)));
        assertEquals(List.of(new Fired(T0.plusSeconds(120), Set.of("a"))), m.tick(T0.plusSeconds(120)));
    }

    @Test
    void quorumTwoNeedsTwoAgentsToAgree() {
        AlertStateMachine m = machine(new Trigger.After(1), 1, 2);
        assertEquals(List.of(), m.observe("a", false, next()));
        assertEquals(Phase.PENDING, m.phase(), "one agent's view is not enough");
        m.observe("b", true, next());
        Instant agree = next();
        assertEquals(List.of(new Fired(agree, Set.of("a", "b"))), m.observe("b", false, agree));
        Instant oneRecovers = next();
        assertEquals(List.of(new Resolved(oneRecovers)), m.observe("a", true, oneRecovers),
                "fewer than a quorum still unhealthy: resolved");
    }

    @Test
    void aDownAgentNeitherFiresNorResolves() {
        AlertStateMachine m = machine(new Trigger.After(1), 1, 1);
        m.observe("a", false, next());
        m.observe("b", false, next());
        assertEquals(Phase.FIRING, m.phase());
        m.unknown("b");
        assertEquals(List.of(), m.observe("a", true, next()), "b is unknown, not healthy: hold");
        assertEquals(Phase.FIRING, m.phase());
        Instant back = next();
        assertEquals(List.of(new Resolved(back)), m.observe("b", true, back));

        AlertStateMachine quiet = machine(new Trigger.After(2), 1, 1);
        quiet.observe("c", false, next());
        quiet.unknown("c");
        assertEquals(List.of(), quiet.tick(next()), "an unknown voter's streak does not fire");
    }

    @Test
    void flappingIsNotifiedOnceAndHoldsFireAndResolveUntilItSettles() {
        AlertStateMachine m = machine(new Trigger.After(1), 1, 1);
        List<AlertTransition> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.addAll(m.observe("a", i % 2 == 0, next()));
        }
        long started = all.stream().filter(t -> t instanceof FlappingStarted).count();
        assertEquals(1, started, "flapping notified once: " + all);
        assertTrue(m.flapping());
        int firedBefore = (int) all.stream().filter(t -> t instanceof Fired).count();
        int resolvedBefore = (int) all.stream().filter(t -> t instanceof Resolved).count();
        assertTrue(firedBefore <= 2 && resolvedBefore <= 2, "not one notification per change: " + all);

        List<AlertTransition> settle = new ArrayList<>();
        for (int i = 0; i < 2 * Flapping.DEFAULT.window() && m.flapping(); i++) {
            settle.addAll(m.observe("a", true, next()));
        }
        assertTrue(settle.stream().anyMatch(t -> t instanceof FlappingStopped), "settles: " + settle);
        assertEquals(Phase.OK, m.phase());
    }

    /**
     * Flapping follows the rule computed the slow way: over the voter's last {@code window}
     * results, the changes between consecutive ones as a share of (results − 1, at least
     * {@code MIN_FLAP_SAMPLES − 1}); starts above the high share, ends below the low one. Random
     * runs of results, including runs much longer than the window, and a small window.
     */
    @Test
    void flappingMatchesTheShareOfChangesOverTheWindowComputedTheSlowWay() {
        java.util.Random random = new java.util.Random(20261202);
        for (Flapping f : List.of(Flapping.DEFAULT, new Flapping(6, 20, 40), new Flapping(2, 10, 20))) {
            AlertStateMachine m = new AlertStateMachine(new AlertCondition(new Trigger.After(3), 1, 1, f));
            List<Boolean> seen = new ArrayList<>();
            boolean flapping = false;
            int toggles = 0;
            // Stretches of steady results and of flapping ones, so that flapping starts and stops.
            for (int i = 0; i < 3_000; i++) {
                boolean noisy = (i / 40) % 2 == 1;
                boolean healthy = noisy ? random.nextInt(3) > 0 == (i % 2 == 0) : random.nextInt(20) > 0;
                m.observe("a", healthy, next());
                seen.add(healthy);
                List<Boolean> window = seen.subList(Math.max(0, seen.size() - f.window()), seen.size());
                int changes = 0;
                for (int k = 1; k < window.size(); k++) {
                    changes += window.get(k).equals(window.get(k - 1)) ? 0 : 1;
                }
                double share = changes * 100.0 / (Math.max(window.size(), AlertStateMachine.MIN_FLAP_SAMPLES) - 1);
                boolean now = flapping ? share >= f.lowPercent() : share > f.highPercent();
                toggles += now == flapping ? 0 : 1;
                flapping = now;
                assertEquals(flapping, m.flapping(), "window " + f.window() + ", after result " + i);
            }
            assertTrue(toggles >= 10, "window " + f.window() + ": flapping started and stopped only " + toggles + " times");
        }
    }
}
