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

    private static final String OVERLAPPING = "select id, started_at, ended_at, state, reason, last_state, last_reason,"
            + " samples from incident where check_id = ? and started_at < ? and (ended_at is null or ended_at > ?)"
            + " order by started_at desc limit ?";

    private final AgroalDataSource dataSource;

    IncidentRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<IncidentView> overlapping(long checkId, Instant from, Instant to, int limit, Instant now) {
        List<IncidentView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(OVERLAPPING)) {
            ps.setLong(1, checkId);
            ps.setObject(2, Timestamps.utc(to));
            ps.setObject(3, Timestamps.utc(from));
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant started = rs.getObject(2, OffsetDateTime.class).toInstant();
                    OffsetDateTime endedAt = rs.getObject(3, OffsetDateTime.class);
                    Instant ended = endedAt == null ? null : endedAt.toInstant();
                    double seconds = Duration.between(started, ended == null ? now : ended).toMillis() / 1000.0;
                    out.add(new IncidentView(rs.getLong(1), checkId, started, ended, ended == null, seconds,
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the incidents of check " + checkId + " failed", e);
        }
        return out;
    }
}
