package io.portwatch.collector.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.portwatch.collector.alert.AlertCondition.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A machine stored and restored (as JSON, as the engine stores it) behaves as if it had never stopped. */
class AlertStateMachineSnapshotTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    private AlertStateMachine roundTrip(AlertStateMachine m, AlertCondition condition) throws Exception {
        String stored = json.writeValueAsString(m.snapshot());
        return AlertStateMachine.restore(condition, json.readValue(stored, AlertStateMachine.Snapshot.class));
    }

    @Test
    void aFiringMachineRestoredDoesNotFireAgainAndResolvesOnce() throws Exception {
        AlertStateMachine m = new AlertStateMachine(AlertCondition.DEFAULT);
        m.observe("a", false, T0);
        m.observe("a", false, T0.plusSeconds(1));
        assertEquals(1, m.observe("a", false, T0.plusSeconds(2)).size());
        AlertStateMachine restored = roundTrip(m, AlertCondition.DEFAULT);
        assertEquals(AlertStateMachine.Phase.FIRING, restored.phase());
        assertTrue(restored.observe("a", false, T0.plusSeconds(3)).isEmpty());
        List<AlertTransition> ts = restored.observe("a", true, T0.plusSeconds(4));
        assertEquals(List.of(new AlertTransition.Resolved(T0.plusSeconds(4))), ts);
    }

    @Test
    void aStreakAndAnUnknownVoterSurviveTheRoundTrip() throws Exception {
        AlertCondition quorum2 = new AlertCondition(new Trigger.After(2), 1, 2, AlertCondition.Flapping.DEFAULT);
        AlertStateMachine m = new AlertStateMachine(quorum2);
        m.observe("a", false, T0);
        m.observe("b", false, T0);
        assertTrue(m.unknown("b"));
        AlertStateMachine restored = roundTrip(m, quorum2);
        assertEquals(java.util.Set.of("a", "b"), restored.voters());
        assertTrue(restored.observe("a", false, T0.plusSeconds(1)).isEmpty(), "b is unknown: no quorum");
        List<AlertTransition> ts = restored.observe("b", false, T0.plusSeconds(2));
        assertEquals(1, ts.size(), "b reports again and its streak of 2 makes the quorum");
    }

    @Test
    void aForConditionKeepsItsStartAcrossTheRoundTrip() throws Exception {
        AlertCondition for2m = new AlertCondition(new Trigger.For(Duration.ofMinutes(2)), 1, 1, AlertCondition.Flapping.DEFAULT);
        AlertStateMachine m = new AlertStateMachine(for2m);
        m.observe("a", false, T0);
        AlertStateMachine restored = roundTrip(m, for2m);
        assertTrue(restored.tick(T0.plusSeconds(119)).isEmpty());
        assertEquals(1, restored.tick(T0.plusSeconds(120)).size());
    }

    @Test
    void aFlappingMachineRestoredDoesNotStartFlappingAgain() throws Exception {
        AlertStateMachine m = new AlertStateMachine(AlertCondition.DEFAULT);
        int started = 0;
        for (int i = 0; i < 8; i++) {
            started += m.observe("a", i % 2 == 0, T0.plusSeconds(i)).size();
        }
        assertEquals(1, started);
        AlertStateMachine restored = roundTrip(m, AlertCondition.DEFAULT);
        assertTrue(restored.flapping());
        assertTrue(restored.observe("a", false, T0.plusSeconds(9)).isEmpty());
    }

    /**
     * The engine skips taking a snapshot while {@code changes()} stays put, so the count must move
     * whenever the snapshot does: random results, unknown voters and ticks, three voters, for
     * {@code after:} and {@code for:} conditions.
     */
    @Test
    void theChangeCountMovesWheneverTheSnapshotDoes() {
        java.util.Random random = new java.util.Random(20261202);
        for (AlertCondition condition : List.of(AlertCondition.DEFAULT,
                new AlertCondition(new Trigger.For(Duration.ofSeconds(30)), 2, 2, AlertCondition.Flapping.DEFAULT))) {
            AlertStateMachine m = new AlertStateMachine(condition);
            AlertStateMachine.Snapshot before = m.snapshot();
            long count = m.changes();
            Instant at = T0;
            for (int step = 0; step < 20_000; step++) {
                at = at.plusSeconds(1 + random.nextInt(5));
                String voter = "agent-" + random.nextInt(3);
                int op = random.nextInt(100);
                // Long steady runs (mostly healthy, sometimes unhealthy) as well as flapping.
                boolean healthy = (step / 200) % 3 == 2 ? random.nextBoolean() : (step / 200) % 3 == 0 || op < 3;
                if (op < 2) {
                    m.unknown(voter);
                } else if (op < 4) {
                    m.tick(at);
                } else {
                    m.observe(voter, healthy, at);
                }
                AlertStateMachine.Snapshot after = m.snapshot();
                if (!after.equals(before)) {
                    assertTrue(m.changes() > count, "step " + step + ": the snapshot changed but the count did not");
                }
                before = after;
                count = m.changes();
            }
        }
    }

    @Test
    void aSteadyVoterStopsCountingChangesOnceItsHistoryIsFull() {
        AlertStateMachine m = new AlertStateMachine(AlertCondition.DEFAULT);
        Instant at = T0;
        for (int i = 0; i < AlertCondition.Flapping.DEFAULT.window(); i++) {
            m.observe("a", true, at = at.plusSeconds(10));
        }
        long full = m.changes();
        for (int i = 0; i < 100; i++) {
            m.observe("a", true, at = at.plusSeconds(10));
        }
        assertEquals(full, m.changes(), "a steadily healthy voter changed nothing storable");
        m.observe("a", false, at.plusSeconds(10));
        assertTrue(m.changes() > full);
    }
}
