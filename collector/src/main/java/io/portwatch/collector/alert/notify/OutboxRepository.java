package io.portwatch.collector.alert.notify;

import io.portwatch.collector.db.Timestamps;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The notification_outbox table. Every statement is short: no transaction spans a delivery. */
@ApplicationScoped
public class OutboxRepository {

    /** A row claimed for delivery: what to send, where, and how often it was tried before. */
    record Claimed(long id, String channel, String payload, int attempts, Instant createdAt) {}

    /** Last errors are receivers' words: keep enough to diagnose, not a whole HTML error page. */
    static final int MAX_ERROR = 1000;

    private static final String INSERT = "insert into notification_outbox"
            + " (dedupe_key, alert_id, channel, event, payload, next_attempt_at) values (?, ?, ?, ?, ?::jsonb, now())"
            + " on conflict (dedupe_key) do nothing";

    // One statement, so the claim commits at once: the lease (next_attempt_at moved ahead) keeps
    // other replicas and later polls off the row while it is delivered outside any transaction.
    private static final String CLAIM = "with due as (select id from notification_outbox"
            + " where status = 'PENDING' and next_attempt_at <= now() order by next_attempt_at, id limit ?"
            + " for update skip locked)"
            + " update notification_outbox o set next_attempt_at = now() + ? * interval '1 millisecond'"
            + " from due where o.id = due.id"
            + " returning o.id, o.channel, o.payload::text, o.attempts, o.created_at";

    private static final String DELIVERED = "update notification_outbox set status = 'DELIVERED', delivered_at = now(),"
            + " attempts = attempts + 1, last_error = null, next_attempt_at = null where id = ?";

    private static final String RETRY = "update notification_outbox set attempts = attempts + 1, last_error = ?,"
            + " next_attempt_at = now() + ? * interval '1 millisecond' where id = ?";

    private static final String FAILED = "update notification_outbox set status = 'FAILED', failed_at = now(),"
            + " attempts = attempts + 1, last_error = ?, next_attempt_at = null where id = ?";

    private static final String LIST = "select id, dedupe_key, alert_id, channel, event, status, attempts, last_error,"
            + " created_at, next_attempt_at, delivered_at, failed_at from notification_outbox"
            + " where (?::text is null or status = ?::text) and (?::bigint is null or alert_id = ?::bigint)"
            + " order by id desc limit ?";

    // The newest delivered notification of each alert on a channel, when it left the alert firing.
    private static final String STILL_FIRING = "select payload::text from (select distinct on (alert_id) event, payload"
            + " from notification_outbox where channel = ? and status = 'DELIVERED' order by alert_id, id desc) newest"
            + " where event <> 'RESOLVED'";

    // A row that still tells Alertmanager an alert fires is kept: deleting it would end the refresh.
    private static final String PURGE = "delete from notification_outbox o where status in ('DELIVERED', 'FAILED')"
            + " and created_at < now() - ? * interval '1 millisecond'"
            + " and not (status = 'DELIVERED' and event <> 'RESOLVED' and not exists (select 1 from notification_outbox n"
            + " where n.channel = o.channel and n.alert_id = o.alert_id and n.status = 'DELIVERED' and n.id > o.id))";

    private final AgroalDataSource dataSource;

    OutboxRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts one row per channel, ignoring keys already there. Runs on the connection of the
     * caller's JTA transaction (Agroal enlists it), so the rows commit or roll back with it.
     *
     * @return how many rows were new
     */
    int insert(AlertNotification n, List<String> channels, String payload) {
        int inserted = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (String channel : channels) {
                ps.setString(1, n.dedupeKey() + "/" + channel);
                ps.setLong(2, n.alertId());
                ps.setString(3, channel);
                ps.setString(4, n.event().name());
                ps.setString(5, payload);
                inserted += ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("enqueuing notification " + n.dedupeKey() + " failed", e);
        }
        return inserted;
    }

    List<Claimed> claim(int limit, Duration lease) throws SQLException {
        List<Claimed> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setInt(1, limit);
            ps.setLong(2, lease.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return out;
    }

    void delivered(long id) throws SQLException {
        update(DELIVERED, ps -> ps.setLong(1, id));
    }

    void retry(long id, String error, Duration wait) throws SQLException {
        update(RETRY, ps -> {
            ps.setString(1, truncate(error));
            ps.setLong(2, wait.toMillis());
            ps.setLong(3, id);
        });
    }

    void failed(long id, String error) throws SQLException {
        update(FAILED, ps -> {
            ps.setString(1, truncate(error));
            ps.setLong(2, id);
        });
    }

    /** Payloads of the alerts whose newest delivered notification on this channel is not a resolve. */
    List<String> stillFiring(String channel) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STILL_FIRING)) {
            ps.setString(1, channel);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Deletes delivered and failed rows older than the retention; returns how many. */
    int purge(Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PURGE)) {
            ps.setLong(1, retention.toMillis());
            return ps.executeUpdate();
        }
    }

    public List<OutboxEntry> list(OutboxStatus status, Long alertId, int limit) {
        List<OutboxEntry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LIST)) {
            String s = status == null ? null : status.name();
            ps.setObject(1, s, Types.VARCHAR);
            ps.setObject(2, s, Types.VARCHAR);
            ps.setObject(3, alertId, Types.BIGINT);
            ps.setObject(4, alertId, Types.BIGINT);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), OutboxStatus.valueOf(rs.getString(6)), rs.getInt(7), rs.getString(8),
                            Timestamps.instant(rs, 9), Timestamps.instant(rs, 10), Timestamps.instant(rs, 11), Timestamps.instant(rs, 12)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the notification outbox failed", e);
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        }
    }

    private static String truncate(String error) {
        if (error == null) return null;
        return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR) + "…";
    }
}
