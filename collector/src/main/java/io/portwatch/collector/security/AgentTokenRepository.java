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

/** Owns {@code agent_token}: per-agent ingest tokens, stored as SHA-256 hashes with a hint. */
@ApplicationScoped
public class AgentTokenRepository {

    private static final String COLUMNS = "select id, agent_id, hint, created_at, created_by, revoked_at from agent_token";

    private final AgroalDataSource dataSource;

    AgentTokenRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public AgentToken insert(String agentId, IssuedSecret secret, String createdBy, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into agent_token (agent_id, hash, hint, created_at, created_by) values (?, ?, ?, ?, ?)"
                        + " returning id")) {
            ps.setString(1, agentId);
            ps.setBytes(2, secret.hash());
            ps.setString(3, secret.hint());
            ps.setObject(4, Timestamps.utc(now));
            ps.setString(5, createdBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new AgentToken(rs.getLong(1), agentId, secret.hint(), now, createdBy, null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a token of agent " + agentId + " failed", e);
        }
    }

    /** The tokens of one agent, newest first, revoked ones included. */
    public List<AgentToken> ofAgent(String agentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " where agent_id = ? order by id desc")) {
            ps.setString(1, agentId);
            return read(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the tokens of agent " + agentId + " failed", e);
        }
    }

    public Optional<AgentToken> byId(String agentId, long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " where agent_id = ? and id = ?")) {
            ps.setString(1, agentId);
            ps.setLong(2, id);
            return read(ps).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("reading token " + id + " failed", e);
        }
    }

    /** The unrevoked token whose hash is {@code hash}: what a presented token is looked up by. */
    public Optional<AgentToken> validByHash(byte[] hash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COLUMNS + " where hash = ? and revoked_at is null")) {
            ps.setBytes(1, hash);
            return read(ps).stream().findFirst();
        } catch (SQLException e) {
            throw new IllegalStateException("looking up an agent token failed", e);
        }
    }

    /** Marks the token revoked; false when it does not exist or was revoked already. */
    public boolean revoke(String agentId, long id, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update agent_token set revoked_at = ? where agent_id = ? and id = ? and revoked_at is null")) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setString(2, agentId);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("revoking token " + id + " failed", e);
        }
    }

    private static List<AgentToken> read(PreparedStatement ps) throws SQLException {
        List<AgentToken> tokens = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tokens.add(new AgentToken(rs.getLong(1), rs.getString(2), rs.getString(3), Timestamps.instant(rs, 4),
                        rs.getString(5), Timestamps.instant(rs, 6)));
            }
        }
        return tokens;
    }
}
