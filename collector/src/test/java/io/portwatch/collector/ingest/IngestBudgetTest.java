package io.portwatch.collector.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBudgetTest {

    /** A stream that records when it is told bytes came back, and takes one reservation then. */
    private static final class Stream implements IngestBudget.Waiter {
        final String name;
        final IngestBudget budget;
        final List<String> log;
        final List<Long> held = new ArrayList<>();

        Stream(String name, IngestBudget budget, List<String> log) {
            this.name = name;
            this.budget = budget;
            this.log = log;
        }

        boolean ask(boolean queued) {
            long r = budget.reserve(this, queued);
            if (r > 0) {
                held.add(r);
            }
            return r > 0;
        }

        @Override
        public void budgetFreed() {
            log.add(name);
            ask(true);
        }
    }

    @Test
    void reservationsStopAtTheLimitAndTheFirstIsAlwaysGranted() {
        IngestBudget budget = new IngestBudget(10);
        List<String> log = new ArrayList<>();
        Stream a = new Stream("a", budget, log);
        assertTrue(a.ask(false), "with nothing buffered a reservation is granted, however large the guess");
        assertEquals(IngestBudget.INITIAL_ESTIMATE, budget.used());
        assertTrue(!a.ask(false), "past the limit nothing more is granted");
        assertEquals(1, budget.waitingStreams());
    }

    @Test
    void arrivalsTradeTheGuessForTheRealSize() {
        IngestBudget budget = new IngestBudget(1_000_000);
        Stream a = new Stream("a", budget, new ArrayList<>());
        assertTrue(a.ask(false));
        budget.arrived(a.held.get(0), 40_000, true);
        assertEquals(40_000, budget.used());
        budget.release(40_000);
        assertEquals(0, budget.used());
    }

    @Test
    void smallMessagesDoNotTeachTheEstimateAndLargeBatchesRaiseItAtOnce() {
        IngestBudget budget = new IngestBudget(100 * IngestBudget.INITIAL_ESTIMATE);
        Stream a = new Stream("a", budget, new ArrayList<>());
        for (int i = 0; i < 1000; i++) {
            assertTrue(a.ask(false));
            budget.arrived(a.held.remove(0), 50, false); // Hellos, heartbeats
            budget.release(50);
        }
        assertTrue(a.ask(false));
        assertEquals(IngestBudget.INITIAL_ESTIMATE, a.held.remove(0), "a Hello storm must not shrink the reservations");
        budget.arrived(IngestBudget.INITIAL_ESTIMATE, 200_000, true);
        budget.release(200_000);
        assertTrue(a.ask(false));
        assertEquals(200_000, a.held.get(0), "a larger batch raises the reservation at once");
    }

    @Test
    void waitingStreamsAreServedInOrderBeforeNewcomers() {
        long guess = IngestBudget.INITIAL_ESTIMATE;
        IngestBudget budget = new IngestBudget(2 * guess);
        List<String> log = new ArrayList<>();
        Stream a = new Stream("a", budget, log);
        Stream b = new Stream("b", budget, log);
        Stream c = new Stream("c", budget, log);
        Stream late = new Stream("late", budget, log);
        assertTrue(a.ask(false));
        assertTrue(a.ask(false));
        assertTrue(!b.ask(false));
        assertTrue(!c.ask(false));
        // Room again, but b and c wait: a newcomer does not overtake them.
        budget.release(a.held.remove(0));
        assertEquals(List.of("b"), log, "one message's room wakes the first in line");
        assertEquals(1, b.held.size());
        budget.release(a.held.remove(0));
        assertEquals(List.of("b", "c"), log);
        assertTrue(!late.ask(false), "the budget is spent by those who waited");
        assertEquals(2 * guess, budget.used());
    }

    @Test
    void aForgottenStreamIsNotWoken() {
        IngestBudget budget = new IngestBudget(1);
        List<String> log = new ArrayList<>();
        Stream a = new Stream("a", budget, log);
        Stream b = new Stream("b", budget, log);
        assertTrue(a.ask(false));
        assertTrue(!b.ask(false));
        budget.forget(b);
        budget.release(a.held.remove(0));
        assertEquals(List.of(), log);
        assertEquals(0, budget.used());
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IngestBudget(0));
        assertTrue(e.getMessage().contains("portwatch.ingest.max-buffered"), e.getMessage());
    }
}
