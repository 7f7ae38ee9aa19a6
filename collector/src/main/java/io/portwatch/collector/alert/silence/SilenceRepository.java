package io.portwatch.collector.alert.silence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.db.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Silences in PostgreSQL. Expiry needs no job: a silence past {@code ends_at} simply no longer matches. */
@ApplicationScoped
public class SilenceRepository {

    private static final String COLUMNS = "select id, matchers::text, starts_at, ends_at, comment, created_by, created_at"
            + " from silence";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    SilenceRepository(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Silence insert(SilenceReader.Draft d, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into silence (matchers, starts_at, ends_at, comment, created_by, created_at)"
                        + " values (?::jsonb, ?, ?, ?, ?, ?) returning id")) {
            bind(ps, d);
            ps.setObject(6, Timestamps.utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Silence(rs.getLong(1), d.matchers(), d.startsAt(), d.endsAt(), d.comment(), d.createdBy(), now);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a silence failed", e);
        }
    }

    /** @return false when there is no silence {@code id} */
    public boolean replace(long id, SilenceReader.Draft d) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update silence set matchers = ?::jsonb, starts_at = ?, ends_at = ?, comment = ?, created_by = ?"
                        + " where id = ?")) {
            bind(ps, d);
            ps.setLong(6, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("storing silence " + id + " failed", e);
        }
    }

    public boolean delete(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from silence where id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("deleting silence " + id + " failed", e);
        }
    }

    public Optional<Silence> byId(long id) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, COLUMNS + " where id = ?", id).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("reading silence " + id + " failed", e);
        }
    }

    /** Like {@link #byId}, the row locked until the caller's transaction ends: the audit log's "before". */
    public Optional<Silence> lock(long id) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, COLUMNS + " where id = ? for update", id).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("reading silence " + id + " failed", e);
        }
    }

    /** Every silence, newest first. */
    public List<Silence> all() {
        try (Connection c = dataSource.getConnection()) {
            return query(c, COLUMNS + " order by id desc");
        } catch (SQLException e) {
            throw new IllegalStateException("listing silences failed", e);
        }
    }

    /** The silences in force at {@code now}, in the caller's transaction. */
    public List<Silence> active(Connection c, Instant now) throws SQLException {
        return query(c, COLUMNS + " where starts_at <= ? and ends_at > ? order by id", Timestamps.utc(now),
                Timestamps.utc(now));
    }

    private void bind(PreparedStatement ps, SilenceReader.Draft d) throws SQLException {
        try {
            ps.setString(1, json.writeValueAsString(d.matchers().document()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ps.setObject(2, Timestamps.utc(d.startsAt()));
        ps.setObject(3, Timestamps.utc(d.endsAt()));
        ps.setString(4, d.comment());
        ps.setString(5, d.createdBy());
    }

    private static List<Silence> query(Connection c, String sql, Object... args) throws SQLException {
        List<Silence> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Silence(rs.getLong(1), SilenceReader.storedMatchers(rs.getString(2)), Timestamps.instant(rs, 3),
                            Timestamps.instant(rs, 4), rs.getString(5), rs.getString(6), Timestamps.instant(rs, 7)));
                }
            }
        }
        return out;
    }
}
