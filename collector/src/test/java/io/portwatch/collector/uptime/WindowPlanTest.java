package io.portwatch.collector.uptime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parts of a window cover it exactly once, each from a source whose buckets fit. */
class WindowPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:17:23.456Z");
    private static final Instant RAW_HORIZON = NOW.minus(Duration.ofDays(30));

    @Test
    void randomAndAlignedWindowsArePartitionedExactly() {
        Random random = new Random(11);
        List<Instant[]> windows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Instant from = NOW.minusMillis((long) (random.nextDouble() * Duration.ofDays(29).toMillis()));
            windows.add(new Instant[] {from, from.plusMillis((long) (random.nextDouble() * (NOW.toEpochMilli() - from.toEpochMilli())))});
        }
        Instant day = NOW.truncatedTo(ChronoUnit.DAYS);
        Instant hour = NOW.truncatedTo(ChronoUnit.HOURS);
        windows.add(new Instant[] {day.minus(Duration.ofDays(3)), day});                 // whole days
        windows.add(new Instant[] {hour.minus(Duration.ofHours(5)), hour});               // whole hours, one day
        windows.add(new Instant[] {hour.plusSeconds(60), hour.plusSeconds(600)});         // inside one hour
        windows.add(new Instant[] {hour, hour});                                          // empty
        windows.add(new Instant[] {day.minusSeconds(1), day.plusSeconds(1)});             // across midnight
        windows.add(new Instant[] {NOW.minus(Duration.ofDays(30)), NOW});                 // the benchmark's 30d
        for (Instant[] w : windows) {
            WindowPlan plan = WindowPlan.of(w[0], w[1], RAW_HORIZON);
            assertCovers(plan, w[0], w[1]);
        }
    }

    @Test
    void anEdgeOlderThanRawRetentionTakesItsHourWhole() {
        Instant from = RAW_HORIZON.minus(Duration.ofMinutes(90));
        WindowPlan plan = WindowPlan.of(from, NOW, RAW_HORIZON);
        assertTrue(plan.rawBefore().isEmpty());
        assertEquals(from.truncatedTo(ChronoUnit.HOURS), plan.hoursBefore().from());
        assertCovers(plan, from.truncatedTo(ChronoUnit.HOURS), NOW);
    }

    private static void assertCovers(WindowPlan plan, Instant from, Instant to) {
        List<WindowPlan.Range> parts = new ArrayList<>();
        for (WindowPlan.Range r : List.of(plan.rawBefore(), plan.rawAfter(), plan.hoursBefore(), plan.days(),
                plan.hoursAfter())) {
            if (!r.isEmpty()) {
                parts.add(r);
            }
        }
        for (WindowPlan.Range r : List.of(plan.hoursBefore(), plan.hoursAfter())) {
            assertTrue(r.isEmpty() || aligned(r, ChronoUnit.HOURS), "hourly rollups for whole hours: " + r);
        }
        assertTrue(plan.days().isEmpty() || aligned(plan.days(), ChronoUnit.DAYS), "daily rollups for whole days");
        parts.sort(Comparator.comparing(WindowPlan.Range::from));
        Instant at = from;
        for (WindowPlan.Range r : parts) {
            assertEquals(at, r.from(), "no gap and no overlap in " + plan + " for [" + from + ", " + to + ")");
            at = r.to();
        }
        assertEquals(from.isBefore(to) ? to : from, at, "covered up to the end: " + plan);
    }

    private static boolean aligned(WindowPlan.Range r, ChronoUnit unit) {
        return r.from().truncatedTo(unit).equals(r.from()) && r.to().truncatedTo(unit).equals(r.to());
    }
}
