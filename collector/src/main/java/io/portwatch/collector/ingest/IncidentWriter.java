package io.portwatch.collector.ingest;

import io.portwatch.collector.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Applies IncidentTracker's changes. A check with a single change in the batch (the common case:
 * an incident opens, grows or ends) goes into a JDBC batch per kind, sent once at the end; those
 * are independent across checks. A check with several changes (it flapped within the batch) has
 * them applied at once and in order, since an open must precede its extend and close.
 */
final class IncidentWriter implements AutoCloseable {

    private static final String OPEN = "insert into incident"
            + " (check_id, started_at, state, reason, last_state, last_reason, samples) values (?, ?, ?, ?, ?, ?, 1)";
    private static final String EXTEND = "update incident set samples = samples + ?, last_state = ?, last_reason = ?"
            + " where check_id = ? and ended_at is null";
    private static final String CLOSE = "update incident set ended_at = ? where check_id = ? and ended_at is null";

    private final Connection connection;
    private PreparedStatement open;
    private PreparedStatement extend;
    private PreparedStatement close;
    private boolean pendingOpen;
    private boolean pendingExtend;
    private boolean pendingClose;

    IncidentWriter(Connection connection) {
        this.connection = connection;
    }

    void apply(long checkId, List<IncidentTracker.Change> changes) throws SQLException {
        boolean later = changes.size() == 1;
        for (IncidentTracker.Change change : changes) {
            if (change instanceof IncidentTracker.Open o) {
                PreparedStatement ps = openStatement();
                ps.setLong(1, checkId);
                ps.setObject(2, Timestamps.utc(o.at()));
                ps.setString(3, o.state());
                ps.setString(4, o.reason());
                ps.setString(5, o.state());
                ps.setString(6, o.reason());
                pendingOpen |= run(ps, later);
            } else if (change instanceof IncidentTracker.Extend x) {
                PreparedStatement ps = extendStatement();
                ps.setInt(1, x.samples());
                ps.setString(2, x.lastState());
                ps.setString(3, x.lastReason());
                ps.setLong(4, checkId);
                pendingExtend |= run(ps, later);
            } else if (change instanceof IncidentTracker.Close cl) {
                PreparedStatement ps = closeStatement();
                ps.setObject(1, Timestamps.utc(cl.at()));
                ps.setLong(2, checkId);
                pendingClose |= run(ps, later);
            }
        }
    }

    /** Sends the batched single changes. */
    void flush() throws SQLException {
        if (pendingOpen) {
            open.executeBatch();
        }
        if (pendingExtend) {
            extend.executeBatch();
        }
        if (pendingClose) {
            close.executeBatch();
        }
        pendingOpen = pendingExtend = pendingClose = false;
    }

    /** @return true when added to the statement's batch, false when executed now */
    private static boolean run(PreparedStatement ps, boolean later) throws SQLException {
        if (later) {
            ps.addBatch();
            return true;
        }
        ps.executeUpdate();
        return false;
    }

    private PreparedStatement openStatement() throws SQLException {
        if (open == null) {
            open = connection.prepareStatement(OPEN);
        }
        return open;
    }

    private PreparedStatement extendStatement() throws SQLException {
        if (extend == null) {
            extend = connection.prepareStatement(EXTEND);
        }
        return extend;
    }

    private PreparedStatement closeStatement() throws SQLException {
        if (close == null) {
            close = connection.prepareStatement(CLOSE);
        }
        return close;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : new PreparedStatement[] {open, extend, close}) {
            if (ps != null) {
                ps.close();
            }
        }
    }
}
