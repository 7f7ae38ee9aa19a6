package io.portwatch.collector.ingest;

import io.portwatch.collector.history.ResultRow;
import io.portwatch.core.check.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one check's new results, in time order, into incident changes: an incident opens at the
 * first unhealthy result after a healthy one (or after none), grows with each further unhealthy
 * result, and ends at the first healthy result. Results older than the check's current state
 * (late arrivals) are history only: they never reopen or end incidents. An UNKNOWN result is not
 * a transition: it neither opens, extends nor ends one, and a healthy result after it ends the
 * incident the unhealthy one before it opened. Plain logic, no I/O.
 */
final class IncidentTracker {

    sealed interface Change {}

    record Open(Instant at, String state, String reason) implements Change {}

    /** Further unhealthy samples of the open incident; the last one's state and reason. */
    record Extend(int samples, String lastState, String lastReason) implements Change {}

    record Close(Instant at) implements Change {}

    /** Where the check stands before the batch: health of the newest result, and when (null: none yet). */
    record Current(Boolean healthy, Instant observedAt) {}

    private IncidentTracker() {}

    /** @param rows this check's results of the batch, sorted by observedAt; UNKNOWN ones are skipped */
    static List<Change> changes(Current current, List<ResultRow> rows) {
        List<Change> changes = new ArrayList<>();
        Boolean healthy = current.healthy();
        Instant newest = current.observedAt();
        int extended = 0;
        ResultRow last = null;
        for (ResultRow r : rows) {
            if (!r.known() || newest != null && r.observedAt().isBefore(newest)) {
                continue;
            }
            newest = r.observedAt();
            boolean wasUnhealthy = Boolean.FALSE.equals(healthy);
            boolean isHealthy = r.health() == Health.HEALTHY;
            if (!isHealthy && !wasUnhealthy) {
                flush(changes, extended, last);
                extended = 0;
                changes.add(new Open(r.observedAt(), r.state().name(), r.reason()));
            } else if (!isHealthy) {
                extended++;
                last = r;
            } else if (wasUnhealthy) {
                flush(changes, extended, last);
                extended = 0;
                changes.add(new Close(r.observedAt()));
            }
            healthy = isHealthy;
        }
        flush(changes, extended, last);
        return changes;
    }

    private static void flush(List<Change> changes, int extended, ResultRow last) {
        if (extended > 0) {
            changes.add(new Extend(extended, last.state().name(), last.reason()));
        }
    }
}
