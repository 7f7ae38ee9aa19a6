package io.portwatch.collector.uptime;

import io.portwatch.collector.db.SqlArray;
import io.portwatch.collector.db.Timestamps;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one owner of table {@code incident}, on JDBC (the writes are on the ingest hot path): the
 * incidents ingest opens, extends and closes, through a {@link Writer} on the ingest transaction's
 * connection, and those of a check that overlap a time range, newest first, for the API (alone,
 * or as one statement of {@link UptimeRepository}'s single round trip); for the status page, the
 * recent incidents of many checks and their count per day.
 */
@ApplicationScoped
public class IncidentRepository {

    /** Also one of the statements of {@link UptimeRepository}'s single round trip. */
    static final String OVERLAPPING = "select id, started_at, ended_at, state, reason, last_state, last_reason,"
            + " samples from incident where check_id = ? and started_at < ? and (ended_at is null or ended_at > ?)"
            + " order by started_at desc limit ?";

    private final AgroalDataSource dataSource;

    IncidentRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<IncidentView> overlapping(long checkId, Instant from, Instant to, int limit, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(OVERLAPPING)) {
            bind(ps, 1, checkId, from, to, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs, checkId, now);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the incidents of check " + checkId + " failed", e);
        }
    }

    /** Writes incident changes on {@code connection}, in its transaction; close it when done. */
    public Writer writer(Connection connection) {
        return new Writer(connection);
    }

    /** Binds the parameters of {@link #OVERLAPPING} from index {@code first}; returns the next index. */
    static int bind(PreparedStatement ps, int first, long checkId, Instant from, Instant to, int limit)
            throws SQLException {
        ps.setLong(first, checkId);
        ps.setObject(first + 1, Timestamps.utc(to));
        ps.setObject(first + 2, Timestamps.utc(from));
        ps.setInt(first + 3, limit);
        return first + 4;
    }

    /**
     * How many incidents of many checks overlapped each UTC day of a range: one row per check and
     * day ({@code check_id, day, n}), an ongoing incident counting up to {@code to}. One statement of
     * UptimeRepository's {@code DAILY} (parameters: from, to, to, ids, to, from).
     */
    static final String PER_DAY = "select i.check_id, g.day, count(*) as n from incident i cross join lateral generate_series("
            + " date_trunc('day', greatest(i.started_at, ?), 'UTC'), least(coalesce(i.ended_at, ?), ?) - interval '1 microsecond',"
            + " interval '1 day') as g(day)"
            + " where i.check_id = any (?) and i.started_at < ? and (i.ended_at is null or i.ended_at > ?) group by 1, 2";

    /** The columns of {@link #OVERLAPPING}, then the check's id: the status page's recent incidents. */
    private static final String RECENT = "select id, started_at, ended_at, state, reason, last_state, last_reason,"
            + " samples, check_id from incident where check_id = any (?) and (ended_at is null or ended_at > ?)"
            + " order by started_at desc limit ?";

    /** The newest incidents of the checks {@code checkIds} that lasted past {@code since}, newest first. */
    public List<IncidentView> recent(Collection<Long> checkIds, Instant since, int limit, Instant now) {
        List<IncidentView> out = new ArrayList<>();
        if (checkIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RECENT)) {
            ps.setArray(1, SqlArray.bigints(c, checkIds));
            ps.setObject(2, Timestamps.utc(since));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs, rs.getLong(9), now));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the recent incidents of " + checkIds.size() + " checks failed", e);
        }
        return out;
    }

    /** The rows of {@link #OVERLAPPING}; an ongoing incident's duration runs to {@code now}. */
    static List<IncidentView> read(ResultSet rs, long checkId, Instant now) throws SQLException {
        List<IncidentView> out = new ArrayList<>();
        while (rs.next()) {
            out.add(row(rs, checkId, now));
        }
        return out;
    }

    private static IncidentView row(ResultSet rs, long checkId, Instant now) throws SQLException {
        Instant started = rs.getObject(2, OffsetDateTime.class).toInstant();
        OffsetDateTime endedAt = rs.getObject(3, OffsetDateTime.class);
        Instant ended = endedAt == null ? null : endedAt.toInstant();
        double seconds = Duration.between(started, ended == null ? now : ended).toMillis() / 1000.0;
        return new IncidentView(rs.getLong(1), checkId, started, ended, ended == null, seconds,
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8));
    }

    /**
     * Applies incident changes. A change the caller marks {@code batched} (a check's single change
     * in a batch, the common case: an incident opens, grows or ends) goes into a JDBC batch per
     * kind, sent once by {@link #flush}; those are independent across checks. The others (a check
     * that flapped within the batch) run at once and in order, since an open must precede its
     * extend and close.
     */
    public static final class Writer implements AutoCloseable {

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

        private Writer(Connection connection) {
            this.connection = connection;
        }

        /** An incident of the check starts at {@code at}, with the state and reason of its first unhealthy result. */
        public void open(long checkId, Instant at, String state, String reason, boolean batched) throws SQLException {
            if (open == null) {
                open = connection.prepareStatement(OPEN);
            }
            open.setLong(1, checkId);
            open.setObject(2, Timestamps.utc(at));
            open.setString(3, state);
            open.setString(4, reason);
            open.setString(5, state);
            open.setString(6, reason);
            pendingOpen |= run(open, batched);
        }

        /** The check's open incident has {@code samples} more unhealthy results, the last one's state and reason. */
        public void extend(long checkId, int samples, String lastState, String lastReason, boolean batched)
                throws SQLException {
            if (extend == null) {
                extend = connection.prepareStatement(EXTEND);
            }
            extend.setInt(1, samples);
            extend.setString(2, lastState);
            extend.setString(3, lastReason);
            extend.setLong(4, checkId);
            pendingExtend |= run(extend, batched);
        }

        /** The check's open incident ends at {@code at}. */
        public void close(long checkId, Instant at, boolean batched) throws SQLException {
            if (close == null) {
                close = connection.prepareStatement(CLOSE);
            }
            close.setObject(1, Timestamps.utc(at));
            close.setLong(2, checkId);
            pendingClose |= run(close, batched);
        }

        /** Sends the batched changes. */
        public void flush() throws SQLException {
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
        private static boolean run(PreparedStatement ps, boolean batched) throws SQLException {
            if (batched) {
                ps.addBatch();
                return true;
            }
            ps.executeUpdate();
            return false;
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
}
