package io.portwatch.collector.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moves each check of a batch to its newest result (once per batch, never backwards for late
 * results) and records the incidents its results open, extend and close. Constant statements per
 * batch: one locking read of the checks' current state, one set-based update, and the incident
 * changes batched by kind.
 */
@ApplicationScoped
class CurrentStateWriter {

    private static final String LOCK_CURRENT = "select id, healthy, observed_at from check_instance"
            + " where id = any (?::bigint[]) order by id for update";
    // Right-hand sides see the old row, so state_since moves only when the state changes.
    private static final String UPDATE_CURRENT = "update check_instance c set"
            + " state_since = case when c.state is distinct from u.state then u.observed_at else c.state_since end,"
            + " state = u.state, reason = u.reason, healthy = u.healthy, address = u.address,"
            + " latency_micros = u.latency_micros, observed_at = u.observed_at"
            + " from unnest(?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::bigint[], ?::timestamptz[])"
            + " as u(id, state, reason, healthy, address, latency_micros, observed_at)"
            + " where c.id = u.id and (c.observed_at is null or c.observed_at <= u.observed_at)";

    void write(Connection c, List<ResultRow> rows) throws SQLException {
        Map<Long, List<ResultRow>> byCheck = new TreeMap<>();
        rows.forEach(r -> byCheck.computeIfAbsent(r.checkId(), k -> new ArrayList<>()).add(r));
        byCheck.values().forEach(l -> l.sort(Comparator.comparing(ResultRow::observedAt)));
        Map<Long, IncidentTracker.Current> current = lockCurrent(c, byCheck.keySet());
        try (IncidentWriter incidents = new IncidentWriter(c)) {
            for (Map.Entry<Long, List<ResultRow>> e : byCheck.entrySet()) {
                incidents.apply(e.getKey(), IncidentTracker.changes(current.get(e.getKey()), e.getValue()));
            }
            incidents.flush();
        }
        update(c, byCheck.values());
    }

    private static Map<Long, IncidentTracker.Current> lockCurrent(Connection c, Set<Long> ids) throws SQLException {
        Map<Long, IncidentTracker.Current> current = new TreeMap<>();
        SqlArray idArray = new SqlArray(ids.size());
        ids.forEach(idArray::add);
        try (PreparedStatement ps = c.prepareStatement(LOCK_CURRENT)) {
            ps.setString(1, idArray.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Boolean healthy = (Boolean) rs.getObject(2);
                    OffsetDateTime at = rs.getObject(3, OffsetDateTime.class);
                    current.put(rs.getLong(1), new IncidentTracker.Current(healthy, at == null ? null : at.toInstant()));
                }
            }
        }
        return current;
    }

    /** One row per check: its newest result of the batch; the SQL keeps it only if not older than the stored one. */
    private static void update(Connection c, Collection<List<ResultRow>> byCheck) throws SQLException {
        int n = byCheck.size();
        SqlArray ids = new SqlArray(n);
        SqlArray states = new SqlArray(n);
        SqlArray reasons = new SqlArray(n);
        SqlArray healthy = new SqlArray(n);
        SqlArray addresses = new SqlArray(n);
        SqlArray latencies = new SqlArray(n);
        SqlArray observed = new SqlArray(n);
        for (List<ResultRow> results : byCheck) {
            ResultRow newest = results.get(results.size() - 1);
            ids.add(newest.checkId());
            states.add(newest.state().name());
            reasons.add(newest.reason());
            healthy.add(newest.healthy());
            addresses.add(newest.address());
            latencies.add(newest.latencyMicros());
            observed.add(newest.observedAt());
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CURRENT)) {
            int i = 0;
            for (SqlArray column : List.of(ids, states, reasons, healthy, addresses, latencies, observed)) {
                ps.setString(++i, column.toString());
            }
            ps.executeUpdate();
        }
    }
}
