package io.portwatch.collector.ingest;

import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.agent.AgentEntity;
import io.portwatch.collector.agent.AgentRepository;
import io.portwatch.collector.check.CheckRepository;
import io.portwatch.core.check.Expectation;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.ListeningInventory;
import io.portwatch.collector.inventory.ListeningService;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What each message of an agent's stream does to the database, one transaction per message. */
@ApplicationScoped
public class IngestService {

    private final AgroalDataSource dataSource;
    private final AgentRepository agents;
    private final CheckRepository checks;
    private final BatchWriter batchWriter;
    private final ListeningService listening;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final int instancesPerAgent;
    /** What was stored, for the alert engine (it listens after commit). */
    @Inject
    Event<IngestEvent> events;

    IngestService(AgroalDataSource dataSource, AgentRepository agents, CheckRepository checks, BatchWriter batchWriter,
            ListeningService listening, com.fasterxml.jackson.databind.ObjectMapper json, CollectorSettings settings) {
        this.listening = listening;
        this.dataSource = dataSource;
        this.agents = agents;
        this.checks = checks;
        this.batchWriter = batchWriter;
        this.json = json;
        this.instancesPerAgent = settings.limits().instancesPerAgent();
    }

    @Transactional
    public void hello(Hello hello, Instant now) {
        AgentEntity agent = agents.hello(hello.getAgentId(), hello.getHost(), hello.getVersion(), hello.getLabelsMap(), now);
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
        try (Connection c = dataSource.getConnection()) {
            // The agent row's lock first, as batches take it: the count stays true until commit.
            agents.touch(c, agentId, now);
            bound(c, agentId, keys);
            List<CheckRepository.CatalogEntry> entries = new ArrayList<>(keys.length);
            for (CheckInstance ci : catalog.getInstancesList()) {
                entries.add(new CheckRepository.CatalogEntry(ci.getKey(), ci.getCheckName(), ci.getTarget(),
                        ProtoMapping.protocol(ci.getProtoValue()), ci.getPort(), Expectation.fromProto(ci.getExpectValue()),
                        ci.getIntervalMs(), ci.getTimeoutMs(), json.writeValueAsString(ci.getLabelsMap())));
            }
            checks.storeCatalog(c, agentId, entries);
            agents.catalogStored(c, agentId, catalog.getConfigHash(), now);
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("storing the catalog of agent " + agentId + " failed", e);
        }
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
            agents.touch(c, agentId, now);
            Set<Long> stored = new HashSet<>(batchWriter.write(c, agentId, batches, now));
            for (ResultBatch b : batches) {
                if (stored.remove(b.getSeq())) events.fire(new IngestEvent.BatchStored(agentId, b, now));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing batches " + batches.get(0).getSeq() + ".."
                    + batches.get(batches.size() - 1).getSeq() + " of agent " + agentId + " failed", e);
        }
    }

    /** Stores the agent's listening inventory (its own transaction) and touches the agent. */
    @Transactional
    public void listening(String agentId, ListeningInventory inventory, Instant now) {
        ListeningService.Applied applied = listening.apply(agentId, inventory, now);
        if (applied.appeared() + applied.gone() > 0) {
            Log.debugf("agent %s: %d listening sockets appeared, %d gone", agentId, applied.appeared(), applied.gone());
        }
    }

    @Transactional
    public void heartbeat(String agentId, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            agents.touch(c, agentId, now);
        } catch (SQLException e) {
            throw new IllegalStateException("updating agent " + agentId + " failed", e);
        }
    }

    @Transactional
    public void disconnected(String agentId, Instant now) {
        agents.disconnected(agentId, now);
        Log.infof("agent %s disconnected", agentId);
    }

    /** Refuses a catalog that, with the agent's rows it does not list, exceeds the limit. */
    private void bound(Connection c, String agentId, String[] keys) throws SQLException {
        long others = checks.countOthers(c, agentId, keys);
        if (others + keys.length > instancesPerAgent) {
            throw new ProtocolViolation("catalog.instances: " + keys.length + " entries and agent \"" + agentId
                    + "\" has " + others + " other check instances, at most " + instancesPerAgent + " in all");
        }
    }
}
