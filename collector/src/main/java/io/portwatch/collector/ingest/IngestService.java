package io.portwatch.collector.ingest;

import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.agent.AgentEntity;
import io.portwatch.collector.db.Timestamps;
import io.portwatch.core.check.Expectation;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What each message of an agent's stream does to the database, one transaction per message. */
@ApplicationScoped
public class IngestService {

    private static final String UPSERT_INSTANCE = "insert into check_instance"
            + " (agent_id, instance_key, check_name, target, proto, port, expect, interval_ms, timeout_ms, labels, in_catalog)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, true)"
            + " on conflict (agent_id, instance_key) do update set check_name = excluded.check_name,"
            + " target = excluded.target, proto = excluded.proto, port = excluded.port, expect = excluded.expect,"
            + " interval_ms = excluded.interval_ms, timeout_ms = excluded.timeout_ms, labels = excluded.labels,"
            + " in_catalog = true";
    private static final String RETIRE_MISSING = "update check_instance set in_catalog = false"
            + " where agent_id = ? and in_catalog and not (instance_key = any (?))";

    private static final String COUNT_OTHERS = "select count(*) from check_instance"
            + " where agent_id = ? and not (instance_key = any (?))";

    private static final String TOUCH = "update agent set last_seen = ?, connected = true where id = ?";

    private final AgroalDataSource dataSource;
    private final BatchWriter batchWriter;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final int instancesPerAgent;
    /** What was stored, for the alert engine (it listens after commit). */
    @Inject
    Event<IngestEvent> events;

    IngestService(AgroalDataSource dataSource, BatchWriter batchWriter, com.fasterxml.jackson.databind.ObjectMapper json,
            CollectorSettings settings) {
        this.dataSource = dataSource;
        this.batchWriter = batchWriter;
        this.json = json;
        this.instancesPerAgent = settings.limits().instancesPerAgent();
    }

    @Transactional
    public void hello(Hello hello, Instant now) {
        AgentEntity agent = AgentEntity.findById(hello.getAgentId());
        if (agent == null) {
            agent = new AgentEntity();
            agent.id = hello.getAgentId();
            agent.firstSeen = now;
        }
        agent.host = hello.getHost();
        agent.version = hello.getVersion();
        agent.labels = new HashMap<>(hello.getLabelsMap());
        agent.lastSeen = now;
        agent.connected = true;
        agent.persist();
        Log.infof("agent %s (%s, version %s) connected", agent.id, agent.host, agent.version);
    }

    /**
     * Replaces the agent's catalog: listed instances are upserted, the others leave it (history
     * kept). Those others still count against the agent's limit of check instances, so a catalog
     * that would take the agent over it is refused whole.
     */
    @Transactional
    public void catalog(String agentId, CheckCatalog catalog, Instant now) {
        String[] keys = new String[catalog.getInstancesCount()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = catalog.getInstances(i).getKey();
            InstanceKey.parse(keys[i]);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement(UPSERT_INSTANCE);
                PreparedStatement retire = c.prepareStatement(RETIRE_MISSING)) {
            // The agent row's lock first, as batches take it: the count stays true until commit.
            touch(c, agentId, now);
            bound(c, agentId, keys);
            for (CheckInstance ci : catalog.getInstancesList()) {
                upsert.setString(1, agentId);
                upsert.setString(2, ci.getKey());
                upsert.setString(3, ci.getCheckName());
                upsert.setString(4, ci.getTarget());
                upsert.setString(5, ProtoMapping.protocol(ci.getProtoValue()).name());
                upsert.setInt(6, ci.getPort());
                upsert.setString(7, Expectation.fromProto(ci.getExpectValue()).name());
                upsert.setInt(8, ci.getIntervalMs());
                upsert.setInt(9, ci.getTimeoutMs());
                upsert.setString(10, json.writeValueAsString(ci.getLabelsMap()));
                upsert.addBatch();
            }
            upsert.executeBatch();
            retire.setString(1, agentId);
            retire.setArray(2, c.createArrayOf("text", keys));
            retire.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("storing the catalog of agent " + agentId + " failed", e);
        }
        AgentEntity agent = AgentEntity.findById(agentId);
        agent.configHash = catalog.getConfigHash();
        agent.lastSeen = now;
        events.fire(new IngestEvent.CatalogStored(agentId));
        Log.infof("agent %s catalog: %d check instances (config %s)", agentId, keys.length, catalog.getConfigHash());
    }

    /**
     * Stores consecutive batches of one agent in one transaction; those whose (agent, seq) had
     * been stored before are skipped. The agent row is updated first: its lock serializes the
     * ingest of one agent across streams and replicas, so each transaction sees its checks as the
     * one before left them.
     */
    @Transactional
    public void batches(String agentId, List<ResultBatch> batches, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            touch(c, agentId, now);
            Set<Long> stored = new HashSet<>(batchWriter.write(c, agentId, batches, now));
            for (ResultBatch b : batches) {
                if (stored.remove(b.getSeq())) events.fire(new IngestEvent.BatchStored(agentId, b, now));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing batches " + batches.get(0).getSeq() + ".."
                    + batches.get(batches.size() - 1).getSeq() + " of agent " + agentId + " failed", e);
        }
    }

    @Transactional
    public void heartbeat(String agentId, Instant now) {
        touch(agentId, now);
    }

    @Transactional
    public void disconnected(String agentId, Instant now) {
        AgentEntity.update("connected = false, lastSeen = ?1 where id = ?2", now, agentId);
        Log.infof("agent %s disconnected", agentId);
    }

    private void touch(String agentId, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            touch(c, agentId, now);
        } catch (SQLException e) {
            throw new IllegalStateException("updating agent " + agentId + " failed", e);
        }
    }

    /** Refuses a catalog that, with the agent's rows it does not list, exceeds the limit. */
    private void bound(Connection c, String agentId, String[] keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_OTHERS)) {
            ps.setString(1, agentId);
            ps.setArray(2, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long others = rs.getLong(1);
                if (others + keys.length > instancesPerAgent) {
                    throw new ProtocolViolation("catalog.instances: " + keys.length + " entries and agent \"" + agentId
                            + "\" has " + others + " other check instances, at most " + instancesPerAgent + " in all");
                }
            }
        }
    }

    /** Plain JDBC: on the hot path a Panache update re-parsed its HQL for every batch. */
    private static void touch(Connection c, String agentId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setString(2, agentId);
            ps.executeUpdate();
        }
    }
}
