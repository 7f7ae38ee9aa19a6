package io.portwatch.collector.agent;

import io.portwatch.collector.db.Timestamps;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one owner of the {@code agent} table: every statement on it is here. Panache for what is
 * plain CRUD (a Hello, a disconnect, the API's reads); JDBC on the caller's connection where the
 * statement runs inside an ingest or sweep transaction that is JDBC already (a batch's touch, which
 * also takes the row lock that serializes one agent's ingest, the catalog's hash, the agent-down
 * sweep) — never both on this table in one transaction.
 */
@ApplicationScoped
public class AgentRepository implements PanacheRepositoryBase<AgentEntity, String> {

    private static final String TOUCH = "update agent set last_seen = ?, connected = true where id = ?";
    private static final String CATALOG = "update agent set config_hash = ?, last_seen = ? where id = ?";
    private static final String LAST_SEEN = "select id, host, last_seen from agent";

    /** An agent and when it was last heard of. */
    public record Seen(String id, String host, Instant lastSeen) {}

    /** Records a Hello: the agent's row, made on its first. Runs in the caller's transaction. */
    public AgentEntity hello(String id, String host, String version, Map<String, String> labels, Instant now) {
        AgentEntity agent = findById(id);
        if (agent == null) {
            agent = new AgentEntity();
            agent.id = id;
            agent.firstSeen = now;
        }
        agent.host = host;
        agent.version = version;
        agent.labels = new HashMap<>(labels);
        agent.lastSeen = now;
        agent.connected = true;
        persist(agent);
        return agent;
    }

    /** The stream ended. Runs in the caller's transaction. */
    public void disconnected(String id, Instant now) {
        update("connected = false, lastSeen = ?1 where id = ?2", now, id);
    }

    /** Every agent, by id, for the API. */
    public List<AgentEntity> listById() {
        return listAll(Sort.by("id"));
    }

    /**
     * The agent was heard from now. Plain JDBC: on the hot path a Panache update re-parsed its HQL
     * for every batch. Takes the row's lock, which serializes the ingest of one agent across
     * streams and replicas until the caller's transaction ends.
     */
    public void touch(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** The agent's catalog was stored: its config hash. */
    public void catalogStored(Connection c, String id, String configHash, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CATALOG)) {
            ps.setString(1, configHash);
            ps.setObject(2, Timestamps.utc(now));
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    /** Every agent with when it was last heard of, for the agent-down sweep. */
    public List<Seen> lastSeen(Connection c) throws SQLException {
        List<Seen> seen = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LAST_SEEN); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                seen.add(new Seen(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
        return seen;
    }
}
