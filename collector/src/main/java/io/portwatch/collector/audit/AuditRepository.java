package io.portwatch.collector.audit;

import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.history.HistoryCursor;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The only owner of table {@code audit_log}: appends rows and pages them newest first on (at, id). */
@ApplicationScoped
public class AuditRepository {

    private static final String INSERT = "insert into audit_log (at, actor, auth_method, action, target, before, after)"
            + " values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";

    private static final String COLUMNS = "select id, at, actor, auth_method, action, target, before::text, after::text"
            + " from audit_log where (at, id) < (?, ?)";
    private static final String ORDER = " order by at desc, id desc limit ?";
    /** Two statements rather than "? is null or action = ?", so each walks its own index. */
    private static final String PAGE = COLUMNS + ORDER;
    private static final String PAGE_OF_ACTION = COLUMNS + " and action = ?" + ORDER;

    private static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final AgroalDataSource dataSource;

    AuditRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends one row. In a JTA transaction the connection is the transaction's own (Agroal enlists
     * it), so the row commits or rolls back with the write it records.
     */
    void insert(Instant at, String actor, String authMethod, String action, String target, String beforeJson,
            String afterJson) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setObject(1, Timestamps.utc(at));
            ps.setString(2, actor);
            ps.setString(3, authMethod);
            ps.setString(4, action);
            ps.setString(5, target);
            ps.setString(6, beforeJson);
            ps.setString(7, afterJson);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording " + action + " of " + target + " in the audit log failed", e);
        }
    }

    /** Newest first, strictly older than {@code before} (a cursor of a previous page) when given; {@code action} filters exactly. */
    public AuditPage page(String before, String action, int limit) {
        HistoryCursor after = before == null || before.isBlank() ? null : HistoryCursor.decode("before", before);
        List<AuditEntry> rows = new ArrayList<>();
        HistoryCursor last = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(action == null ? PAGE : PAGE_OF_ACTION)) {
            int i = 1;
            ps.setObject(i++, after == null ? LATEST : Timestamps.utc(after.observedAt()));
            ps.setLong(i++, after == null ? Long.MAX_VALUE : after.id());
            if (action != null) {
                ps.setString(i++, action);
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit) {
                        return new AuditPage(rows, last.encode());
                    }
                    AuditEntry e = new AuditEntry(rs.getLong(1), Timestamps.instant(rs, 2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                    rows.add(e);
                    last = new HistoryCursor(e.at(), e.id());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
        return new AuditPage(rows, null);
    }
}
