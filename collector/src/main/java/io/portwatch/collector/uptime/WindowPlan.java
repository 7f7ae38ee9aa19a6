package io.portwatch.collector.uptime;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Which source covers which part of a window [from, to): daily rollups for the whole days inside
 * it, hourly rollups for the whole hours around those, raw results for the partial hours at the
 * edges. Where an edge is older than raw retention, its hour is taken whole from the hourly
 * rollup. Parts that do not apply are empty ranges, so the one statement that reads them keeps
 * its shape (and its prepared plan) for every window.
 */
record WindowPlan(Range rawBefore, Range rawAfter, Range hoursBefore, Range days, Range hoursAfter) {

    /** [from, to); empty when from is not before to. */
    record Range(Instant from, Instant to) {

        static Range empty(Instant at) {
            return new Range(at, at);
        }

        boolean isEmpty() {
            return !from.isBefore(to);
        }
    }

    /**
     * The part the rollups cover (hours and days): results committed there but not folded yet
     * are read raw and added ({@link UptimeRepository}).
     */
    Range rolledUp() {
        return new Range(hoursBefore.from(), days.isEmpty() ? hoursBefore.to() : hoursAfter.to());
    }

    static WindowPlan of(Instant from, Instant to, Instant rawHorizon) {
        Instant hoursFrom = from.isBefore(rawHorizon) ? floor(from, ChronoUnit.HOURS) : ceil(from, ChronoUnit.HOURS);
        Instant hoursTo = floor(to, ChronoUnit.HOURS);
        Range none = Range.empty(from);
        if (!hoursFrom.isBefore(hoursTo)) {
            return new WindowPlan(new Range(from, to), none, none, none, none);
        }
        Range rawBefore = new Range(from, hoursFrom);
        Range rawAfter = new Range(hoursTo, to);
        Instant daysFrom = ceil(hoursFrom, ChronoUnit.DAYS);
        Instant daysTo = floor(hoursTo, ChronoUnit.DAYS);
        if (!daysFrom.isBefore(daysTo)) {
            return new WindowPlan(rawBefore, rawAfter, new Range(hoursFrom, hoursTo), none, none);
        }
        return new WindowPlan(rawBefore, rawAfter, new Range(hoursFrom, daysFrom), new Range(daysFrom, daysTo),
                new Range(daysTo, hoursTo));
    }

    static Instant floor(Instant t, ChronoUnit unit) {
        return t.truncatedTo(unit);
    }

    static Instant ceil(Instant t, ChronoUnit unit) {
        Instant f = t.truncatedTo(unit);
        return f.equals(t) ? t : f.plus(1, unit);
    }
}
