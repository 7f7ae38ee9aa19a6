package io.portwatch.collector.security;

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

/** Owns table {@code api_key}: every statement on it is here. */
@ApplicationScoped
public class ApiKeyRepository {

    private static final String COLUMNS = "select id, name, role, hint, created_at, created_by, last_used_at, revoked_at"
            + " from api_key";

    private final AgroalDataSource dataSource;

    ApiKeyRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public ApiKey insert(String name, Role role, IssuedSecret secret, String createdBy, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into api_key (name, role, hash, hint, created_at, created_by) values (?, ?, ?, ?, ?, ?) returning id")) {
            ps.setString(1, name);
            ps.setString(2, role.wireName());
            ps.setBytes(3, secret.hash());
            ps.setString(4, secret.hint());
            ps.setObject(5, Timestamps.utc(now));
            ps.setString(6, createdBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ApiKey(rs.getLong(1), name, role, secret.hint(), now, createdBy, null, null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing API key \"" + name + "\" failed", e);
        }
    }

    /** Every key, revoked ones too, newest first. */
    public List<ApiKey> all() {
        try (Connection c = dataSource.getConnection()) {
            return query(c, COLUMNS + " order by id desc", null);
        } catch (SQLException e) {
            throw new IllegalStateException("reading API keys failed", e);
        }
    }

    public Optional<ApiKey> byId(long id) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, COLUMNS + " where id = ?", id).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("reading API key " + id + " failed", e);
        }
    }

    /** The unrevoked key whose secret hashes to {@code hash}. */
    public Optional<ApiKey> activeByHash(byte[] hash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " where hash = ? and revoked_at is null")) {
            ps.setBytes(1, hash);
            return read(ps).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("looking an API key up failed", e);
        }
    }

    /**
     * Ids of the unrevoked admin keys, locked until the surrounding transaction ends: two revokes
     * at once cannot both see another admin key left.
     */
    public List<Long> lockActiveAdmins() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id from api_key where role = 'admin' and revoked_at is null order by id for update")) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("reading admin API keys failed", e);
        }
    }

    /** @return false when there is no unrevoked key {@code id} */
    public boolean revoke(long id, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update api_key set revoked_at = ? where id = ? and revoked_at is null")) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("revoking API key " + id + " failed", e);
        }
    }

    public void markUsed(long id, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update api_key set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setLong(2, id);
            ps.setObject(3, Timestamps.utc(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording the use of API key " + id + " failed", e);
        }
    }

    private static List<ApiKey> query(Connection c, String sql, Long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setLong(1, id);
            }
            return read(ps);
        }
    }

    private static List<ApiKey> read(PreparedStatement ps) throws SQLException {
        List<ApiKey> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ApiKey(rs.getLong(1), rs.getString(2),
                        Role.parse(rs.getString(3)).orElseThrow(), rs.getString(4), Timestamps.instant(rs, 5),
                        rs.getString(6), Timestamps.instant(rs, 7), Timestamps.instant(rs, 8)));
            }
        }
        return out;
    }
}
