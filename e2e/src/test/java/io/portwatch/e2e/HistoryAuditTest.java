package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault suite's arithmetic on made-up histories: 1 s ticks at phase .250 (with a few ms of start jitter). */
class HistoryAuditTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Instant FROM = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant TO = FROM.plusSeconds(60);

    /** The ticks at FROM + k s + 250 ms (+ k % 7 ms jitter) for k in [first, last), minus {@code skipped}. */
    private static List<Instant> ticks(int first, int last, int... skipped) {
        List<Instant> out = new ArrayList<>();
        outer:
        for (int k = first; k < last; k++) {
            for (int s : skipped) if (s == k) continue outer;
            out.add(FROM.plusMillis(k * 1000L + 250 + k % 7));
        }
        return out;
    }

    @Test
    void aCompleteHistoryHasNothingLostAndAGapOfAboutOneInterval() {
        var c = HistoryAudit.audit("c", ticks(0, 60), FROM, TO, SECOND, List.of());
        assertEquals(60, c.expected());
        assertEquals(60, c.stored());
        assertEquals(0, c.lost());
        assertEquals(0, c.duplicates());
        assertEquals(1001, c.largestGap().toMillis());
    }

    @Test
    void aHoleOfThreeIntervalsIsTwoLostResultsAtTheirTicks() {
        var c = HistoryAudit.audit("c", ticks(0, 60, 20, 21), FROM, TO, SECOND, List.of());
        assertEquals(60, c.expected());
        assertEquals(58, c.stored());
        assertEquals(2, c.lost());
        // Estimated from the result before the hole (19.255 s), an interval apart.
        assertEquals(List.of(FROM.plusMillis(20_255), FROM.plusMillis(21_255)), c.lostAt());
    }

    @Test
    void missingTicksAtTheEdgesCountButATickHalfOutsideDoesNot() {
        // Ticks 1 and 59 are missing; tick 0, 250 ms inside the window, is too close to its edge to count.
        assertEquals(2, HistoryAudit.audit("c", ticks(2, 59), FROM, TO, SECOND, List.of()).lost());
        // The window starts 200 ms after a tick: that tick is outside, not lost.
        var c = HistoryAudit.audit("c", ticks(1, 60), FROM.plusMillis(450), TO, SECOND, List.of());
        assertEquals(0, c.lost());
    }

    @Test
    void aResultStoredTwiceIsADuplicateAndFillsOneTick() {
        List<Instant> stored = ticks(0, 60);
        stored.add(stored.get(10));
        var c = HistoryAudit.audit("c", stored, FROM, TO, SECOND, List.of());
        assertEquals(61, c.stored());
        assertEquals(1, c.duplicates());
        assertEquals(60, c.expected());
        assertEquals(0, c.lost());
    }

    @Test
    void ticksWhileTheAgentWasDeadAreNotProbedTheOthersLost() {
        Instant kill = FROM.plusMillis(30_900);
        var down = new HistoryAudit.Downtime(kill, FROM.plusMillis(40_250));
        var c = HistoryAudit.audit("c", ticks(0, 60, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39), FROM, TO, SECOND, List.of(down));
        assertEquals(1, c.lost(), "the tick at 30.25 s, before the kill");
        assertEquals(9, c.notProbed());
        var audit = new HistoryAudit.Audit(FROM, TO, SECOND, List.of(c));
        audit.assertLostOnlyJustBefore(kill, Duration.ofSeconds(2));
        assertThrows(AssertionError.class, () -> audit.assertLostOnlyJustBefore(kill, Duration.ofMillis(500)));
        audit.assertConsistentWithClock();
    }

    @Test
    void nothingStoredIsEveryTickLost() {
        var c = HistoryAudit.audit("c", List.of(), FROM, TO, SECOND, List.of());
        assertEquals(60, c.lost());
        assertEquals(60, c.expected());
    }
}
