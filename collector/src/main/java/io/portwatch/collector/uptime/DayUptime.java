package io.portwatch.collector.uptime;

import java.time.LocalDate;

/**
 * One UTC day of a check from its daily rollup: known results, healthy ones, UNKNOWN ones, and
 * the incidents that overlapped the day. A day with no rollup row has all counts zero.
 */
public record DayUptime(LocalDate day, long samples, long healthy, long unknown, int incidents) {

    static DayUptime empty(LocalDate day) {
        return new DayUptime(day, 0, 0, 0, 0);
    }

    /** Whether any result of the day is stored (a known or an UNKNOWN one). */
    public boolean hasData() {
        return samples > 0 || unknown > 0;
    }

    /** Healthy share of the known results in percent; null without known results. */
    public Double uptimePercent() {
        return samples == 0 ? null : 100.0 * healthy / samples;
    }
}
