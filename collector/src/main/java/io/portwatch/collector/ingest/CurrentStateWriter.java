package io.portwatch.collector.ingest;

import io.portwatch.core.check.Health;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
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

    // Joined to the ids rather than filtered by "id = any (?)": a plan that scans the table tests
    // every row against the whole array (7 ms per batch of 900 checks among 16,000).
    private static final String CURRENT = "select c.id, c.state, c.reason, c.healthy, c.observed_at"
            + " from unnest(?::bigint[]) as u(id) join check_instance c on c.id = u.id";
    // Right-hand sides see the old row, so state_since moves only when the state changes.
    private static final String UPDATE_CHANGED = "update check_instance c set"
            + " state_since = case when c.state is distinct from u.state then u.observed_at else c.state_since end,"
            + " state = u.state, reason = u.reason, healthy = u.healthy, address = u.address,"
            + " latency_micros = u.latency_micros, observed_at = u.observed_at"
            + " from unnest(?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::bigint[], ?::timestamptz[])"
            + " as u(id, state, reason, healthy, address, latency_micros, observed_at)"
            + " where c.id = u.id and (c.observed_at is null or c.observed_at <= u.observed_at)";

    /** A check as stored, before the batch. */
    private record Stored(String state, String reason, Boolean healthy, Instant observedAt) {}

    private static final Comparator<ResultRow> BY_CHECK_THEN_TIME =
            Comparator.comparingLong(ResultRow::checkId).thenComparing(ResultRow::observedAt);

    private final RollupFolder folder;

    CurrentStateWriter(RollupFolder folder) {
        this.folder = folder;
    }

    void write(Connection c, List<ResultRow> rows) throws SQLException {
        // Each check's results are one run of the sorted list: no list per check.
        List<ResultRow> sorted = new ArrayList<>(rows);
        sorted.sort(BY_CHECK_THEN_TIME);
        Set<Long> ids = new LinkedHashSet<>();
        sorted.forEach(r -> ids.add(r.checkId()));
        Map<Long, Stored> stored = read(c, ids);
        Map<Long, Instant> pendingNewest = folder.pendingNewest(ids);
        List<ResultRow> changed = new ArrayList<>();
        try (IncidentWriter incidents = new IncidentWriter(c)) {
            for (int from = 0, to; from < sorted.size(); from = to) {
                long checkId = sorted.get(from).checkId();
                to = from + 1;
                while (to < sorted.size() && sorted.get(to).checkId() == checkId) {
                    to++;
                }
                List<ResultRow> results = sorted.subList(from, to);
                Stored s = stored.get(checkId);
                Instant newest = newest(s == null ? null : s.observedAt(), pendingNewest.get(checkId));
                Boolean healthy = s == null ? null : s.healthy();
                incidents.apply(checkId, IncidentTracker.changes(new IncidentTracker.Current(healthy, newest), results));
                ResultRow last = lastKnown(results);
                if (last == null) {
                    continue;
                }
                boolean late = newest != null && last.observedAt().isBefore(newest);
                if (!late && (s == null || !last.state().name().equals(s.state()) || !last.reason().equals(s.reason())
                        || !Boolean.valueOf(last.health() == Health.HEALTHY).equals(s.healthy()))) {
                    changed.add(last);
                }
            }
            incidents.flush();
        }
        update(c, changed);
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

    private static Map<Long, Stored> read(Connection c, Set<Long> ids) throws SQLException {
        Map<Long, Stored> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CURRENT)) {
            ps.setArray(1, SqlArray.bigints(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject(5, OffsetDateTime.class);
                    out.put(rs.getLong(1), new Stored(rs.getString(2), rs.getString(3), (Boolean) rs.getObject(4),
                            at == null ? null : at.toInstant()));
                }
            }
        }
        return out;
    }

    /** One row per check whose state, reason or health changed: its newest result of the batch. */
    private static void update(Connection c, List<ResultRow> changed) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        int n = changed.size();
        SqlArray ids = new SqlArray(n);
        SqlArray states = new SqlArray(n);
        SqlArray reasons = new SqlArray(n);
        SqlArray healthy = new SqlArray(n);
        SqlArray addresses = new SqlArray(n);
        SqlArray latencies = new SqlArray(n);
        SqlArray observed = new SqlArray(n);
        for (ResultRow newest : changed) {
            ids.add(newest.checkId());
            states.add(newest.state().name());
            reasons.add(newest.reason());
            healthy.add(newest.health() == Health.HEALTHY);
            addresses.add(newest.address());
            latencies.add(newest.latencyMicros());
            observed.add(newest.observedAt());
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CHANGED)) {
            int i = 0;
            for (SqlArray column : List.of(ids, states, reasons, healthy, addresses, latencies, observed)) {
                ps.setString(++i, column.toString());
            }
            ps.executeUpdate();
        }
    }
}
