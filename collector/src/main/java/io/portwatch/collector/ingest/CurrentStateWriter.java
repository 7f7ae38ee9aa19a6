package io.portwatch.collector.ingest;

import io.portwatch.collector.db.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves each check of a batch to its newest result (once per batch, never backwards for late
 * results) and records the incidents its results open, extend and close.
 */
@ApplicationScoped
class CurrentStateWriter {

    private static final String LOCK_CURRENT = "select id, healthy, observed_at from check_instance"
            + " where id = any (?) order by id for update";
    // Right-hand sides see the old row, so state_since moves only when the state changes.
    private static final String UPDATE_CURRENT = "update check_instance set"
            + " state_since = case when state is distinct from ? then ? else state_since end,"
            + " state = ?, reason = ?, healthy = ?, address = ?, latency_micros = ?, observed_at = ?"
            + " where id = ? and (observed_at is null or observed_at <= ?)";
    private static final String OPEN = "insert into incident"
            + " (check_id, started_at, state, reason, last_state, last_reason, samples) values (?, ?, ?, ?, ?, ?, 1)";
    private static final String EXTEND = "update incident set samples = samples + ?, last_state = ?, last_reason = ?"
            + " where check_id = ? and ended_at is null";
    private static final String CLOSE = "update incident set ended_at = ? where check_id = ? and ended_at is null";

    void write(Connection c, List<ResultRow> rows) throws SQLException {
        Map<Long, List<ResultRow>> byCheck = new HashMap<>();
        rows.forEach(r -> byCheck.computeIfAbsent(r.checkId(), k -> new ArrayList<>()).add(r));
        byCheck.values().forEach(l -> l.sort(Comparator.comparing(ResultRow::observedAt)));
        Map<Long, IncidentTracker.Current> current = lockCurrent(c, byCheck.keySet());
        try (PreparedStatement open = c.prepareStatement(OPEN);
                PreparedStatement extend = c.prepareStatement(EXTEND);
                PreparedStatement extendLater = c.prepareStatement(EXTEND);
                PreparedStatement close = c.prepareStatement(CLOSE);
                PreparedStatement update = c.prepareStatement(UPDATE_CURRENT)) {
            for (Map.Entry<Long, List<ResultRow>> e : byCheck.entrySet()) {
                long checkId = e.getKey();
                List<IncidentTracker.Change> changes = IncidentTracker.changes(current.get(checkId), e.getValue());
                // A steady unhealthy check only extends its incident: batch those; apply
                // anything else in order, since an open must precede its extend and close.
                boolean batchable = changes.size() == 1 && changes.get(0) instanceof IncidentTracker.Extend;
                for (IncidentTracker.Change change : changes) {
                    apply(change, checkId, open, batchable ? extendLater : extend, close, batchable);
                }
                addCurrent(update, e.getValue().get(e.getValue().size() - 1));
            }
            extendLater.executeBatch();
            update.executeBatch();
        }
    }

    private static Map<Long, IncidentTracker.Current> lockCurrent(Connection c, java.util.Set<Long> ids) throws SQLException {
        Map<Long, IncidentTracker.Current> current = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_CURRENT)) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
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

    private static void apply(IncidentTracker.Change change, long checkId, PreparedStatement open,
            PreparedStatement extend, PreparedStatement close, boolean later) throws SQLException {
        if (change instanceof IncidentTracker.Open o) {
            open.setLong(1, checkId);
            open.setObject(2, Timestamps.utc(o.at()));
            open.setString(3, o.state());
            open.setString(4, o.reason());
            open.setString(5, o.state());
            open.setString(6, o.reason());
            open.executeUpdate();
        } else if (change instanceof IncidentTracker.Extend x) {
            extend.setInt(1, x.samples());
            extend.setString(2, x.lastState());
            extend.setString(3, x.lastReason());
            extend.setLong(4, checkId);
            if (later) {
                extend.addBatch();
            } else {
                extend.executeUpdate();
            }
        } else if (change instanceof IncidentTracker.Close cl) {
            close.setObject(1, Timestamps.utc(cl.at()));
            close.setLong(2, checkId);
            close.executeUpdate();
        }
    }

    private static void addCurrent(PreparedStatement ps, ResultRow row) throws SQLException {
        OffsetDateTime at = Timestamps.utc(row.observedAt());
        ps.setString(1, row.state().name());
        ps.setObject(2, at);
        ps.setString(3, row.state().name());
        ps.setString(4, row.reason());
        ps.setBoolean(5, row.healthy());
        BatchWriter.setNullable(ps, 6, row.address());
        ps.setLong(7, row.latencyMicros());
        ps.setObject(8, at);
        ps.setLong(9, row.checkId());
        ps.setObject(10, at);
        ps.addBatch();
    }
}
