package io.portwatch.collector.ingest;

import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.history.ResultRow;
import io.portwatch.collector.uptime.IncidentRepository;
import io.portwatch.core.check.Health;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Records what each check of a batch now is — state, reason and health, written only when they
 * change, never backwards for late results — and the incidents its results open, extend and
 * close. An UNKNOWN result changes neither: the check keeps its last known state, reason, health
 * and state_since (only its observed_at moves, with the fold: the check did report). The newest result's time and latency reach the check later, with the fold
 * ({@link LastResultWriter}); until then {@link RollupFolder#pendingNewest} knows them, so a late
 * result is recognised as late either way. Constant statements per batch: one read of the checks,
 * one set-based update of those that changed, and the incident changes batched by kind. No row is
 * locked to read it: ingest of one agent is serialized by its agent row, which the transaction
 * updates first ({@link IngestService#batches}).
 */
@ApplicationScoped
class CurrentStateWriter {

    private static final Comparator<ResultRow> BY_CHECK_THEN_TIME =
            Comparator.comparingLong(ResultRow::checkId).thenComparing(ResultRow::observedAt);

    private final RollupFolder folder;
    private final CheckRepository checks;
    private final IncidentRepository incidents;

    CurrentStateWriter(RollupFolder folder, CheckRepository checks, IncidentRepository incidents) {
        this.folder = folder;
        this.checks = checks;
        this.incidents = incidents;
    }

    void write(Connection c, List<ResultRow> rows) throws SQLException {
        // Each check's results are one run of the sorted list: no list per check.
        List<ResultRow> sorted = new ArrayList<>(rows);
        sorted.sort(BY_CHECK_THEN_TIME);
        Set<Long> ids = new LinkedHashSet<>();
        sorted.forEach(r -> ids.add(r.checkId()));
        Map<Long, CheckRepository.StoredState> stored = checks.currentStates(c, ids);
        Map<Long, Instant> pendingNewest = folder.pendingNewest(ids);
        List<CheckRepository.NewState> changed = new ArrayList<>();
        try (IncidentRepository.Writer incidentWriter = incidents.writer(c)) {
            for (int from = 0, to; from < sorted.size(); from = to) {
                long checkId = sorted.get(from).checkId();
                to = from + 1;
                while (to < sorted.size() && sorted.get(to).checkId() == checkId) {
                    to++;
                }
                List<ResultRow> results = sorted.subList(from, to);
                CheckRepository.StoredState s = stored.get(checkId);
                Instant newest = newest(s == null ? null : s.observedAt(), pendingNewest.get(checkId));
                Boolean healthy = s == null ? null : s.healthy();
                apply(incidentWriter, checkId, IncidentTracker.changes(new IncidentTracker.Current(healthy, newest), results));
                ResultRow last = lastKnown(results);
                if (last == null) {
                    continue;
                }
                boolean late = newest != null && last.observedAt().isBefore(newest);
                if (!late && (s == null || !last.state().name().equals(s.state()) || !last.reason().equals(s.reason())
                        || !Boolean.valueOf(last.health() == Health.HEALTHY).equals(s.healthy()))) {
                    changed.add(new CheckRepository.NewState(last.checkId(), last.state(), last.reason(),
                            last.health() == Health.HEALTHY, last.address(), last.latencyMicros(), last.observedAt()));
                }
            }
            incidentWriter.flush();
        }
        checks.updateStates(c, changed);
    }

    /**
     * A check with a single change in the batch has it batched with the other checks' (they are
     * independent); a check with several has them applied at once and in order.
     */
    private static void apply(IncidentRepository.Writer writer, long checkId, List<IncidentTracker.Change> changes)
            throws SQLException {
        boolean batched = changes.size() == 1;
        for (IncidentTracker.Change change : changes) {
            if (change instanceof IncidentTracker.Open o) {
                writer.open(checkId, o.at(), o.state(), o.reason(), batched);
            } else if (change instanceof IncidentTracker.Extend x) {
                writer.extend(checkId, x.samples(), x.lastState(), x.lastReason(), batched);
            } else if (change instanceof IncidentTracker.Close cl) {
                writer.close(checkId, cl.at(), batched);
            }
        }
    }

    /** The newest of {@code results} (in time order) that is not UNKNOWN; null when all are. */
    private static ResultRow lastKnown(List<ResultRow> results) {
        for (int i = results.size() - 1; i >= 0; i--) {
            if (results.get(i).known()) {
                return results.get(i);
            }
        }
        return null;
    }

    private static Instant newest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
