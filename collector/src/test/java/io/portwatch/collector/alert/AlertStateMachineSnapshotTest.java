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
}
