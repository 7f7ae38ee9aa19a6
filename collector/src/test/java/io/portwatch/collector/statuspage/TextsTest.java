package io.portwatch.collector.statuspage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.uptime.DayUptime;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TextsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 8);

    @Test
    void durationsShowTheTwoLargestUnits() {
        assertEquals("45s", Texts.duration(Duration.ofSeconds(45)));
        assertEquals("3m 12s", Texts.duration(Duration.ofSeconds(192)));
        assertEquals("5h 4m", Texts.duration(Duration.ofMinutes(304)));
        assertEquals("12d 3h", Texts.duration(Duration.ofHours(291)));
        assertEquals("0s", Texts.duration(Duration.ofSeconds(-3)), "a clock a little ahead is not a negative age");
    }

    @Test
    void aDayThatMissedSomethingNeverShowsAsAHundredPercent() {
        DayUptime almost = new DayUptime(DAY, 17_280, 17_279, 0, 1);
        assertEquals("2026-12-08: 99.99 % up (17,280 results), 1 incident", Texts.dayTip(almost));
        assertEquals("ok", Texts.dayTone(almost));
        assertEquals("warn", Texts.dayTone(new DayUptime(DAY, 1000, 995, 0, 0)));
        assertEquals("bad", Texts.dayTone(new DayUptime(DAY, 1000, 900, 0, 2)));
    }

    @Test
    void daysWithoutKnownResultsSaySo() {
        assertEquals("2026-12-08: no data", Texts.dayTip(new DayUptime(DAY, 0, 0, 0, 0)));
        assertEquals("none", Texts.dayTone(new DayUptime(DAY, 0, 0, 0, 0)));
        assertEquals("2026-12-08: no data, 2 incidents", Texts.dayTip(new DayUptime(DAY, 0, 0, 0, 2)));
        assertEquals("2026-12-08: only unknown results (4), 0 incidents", Texts.dayTip(new DayUptime(DAY, 0, 0, 4, 0)));
        assertEquals("unknown", Texts.dayTone(new DayUptime(DAY, 0, 0, 4, 0)));
        assertEquals("2026-12-08: 100.00 % up (1 result), 0 incidents", Texts.dayTip(new DayUptime(DAY, 1, 1, 0, 0)));
    }
}
