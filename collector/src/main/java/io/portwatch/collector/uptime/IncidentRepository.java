package io.portwatch.collector.uptime;

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
import java.util.List;

/** Incidents of a check that overlap a time range, newest first. */
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

    /** Binds the parameters of {@link #OVERLAPPING} from index {@code first}; returns the next index. */
    static int bind(PreparedStatement ps, int first, long checkId, Instant from, Instant to, int limit)
            throws SQLException {
        ps.setLong(first, checkId);
        ps.setObject(first + 1, Timestamps.utc(to));
        ps.setObject(first + 2, Timestamps.utc(from));
        ps.setInt(first + 3, limit);
        return first + 4;
    }

    /** The rows of {@link #OVERLAPPING}; an ongoing incident's duration runs to {@code now}. */
    static List<IncidentView> read(ResultSet rs, long checkId, Instant now) throws SQLException {
        List<IncidentView> out = new ArrayList<>();
        while (rs.next()) {
            Instant started = rs.getObject(2, OffsetDateTime.class).toInstant();
            OffsetDateTime endedAt = rs.getObject(3, OffsetDateTime.class);
            Instant ended = endedAt == null ? null : endedAt.toInstant();
            double seconds = Duration.between(started, ended == null ? now : ended).toMillis() / 1000.0;
            out.add(new IncidentView(rs.getLong(1), checkId, started, ended, ended == null, seconds,
                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)));
        }
        return out;
    }
}
