package io.portwatch.collector.ingest;

import io.portwatch.proto.v1.Ack;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.ResultBatch;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One agent's stream. Messages are handled strictly in order: Hello first, then catalogs,
 * batches (each answered by a cumulative Ack, after its transaction commits) and heartbeats.
 */
final class AgentSession {

    private final IngestService ingest;
    private final IngestValidator validator;
    private final IngestMetrics metrics;
    private final Clock clock;
    private String agentId;

    AgentSession(IngestService ingest, IngestValidator validator, IngestMetrics metrics, Clock clock) {
        this.ingest = ingest;
        this.validator = validator;
        this.metrics = metrics;
        this.clock = clock;
    }

    Optional<CollectorMessage> handle(AgentMessage message) {
        switch (message.getBodyCase()) {
            case HELLO -> {
                if (agentId != null) {
                    throw new ProtocolViolation("Hello sent twice on one stream");
                }
                if (message.getHello().getAgentId().isBlank()) {
                    throw new ProtocolViolation("Hello without an agent_id");
                }
                validator.hello(message.getHello());
                ingest.hello(message.getHello(), clock.instant());
                agentId = message.getHello().getAgentId();
                return Optional.empty();
            }
            case CATALOG -> {
                String agent = requireAgent();
                validator.catalog(message.getCatalog());
                ingest.catalog(agent, message.getCatalog(), clock.instant());
                return Optional.empty();
            }
            case BATCH -> {
                return Optional.of(batches(List.of(message.getBatch())).get(0));
            }
            case HEARTBEAT -> {
                ingest.heartbeat(requireAgent(), clock.instant());
                return Optional.empty();
            }
            default -> throw new ProtocolViolation("empty message");
        }
    }

    /**
     * Stores batches in one transaction and answers each with its Ack, in order: acked whether
     * stored now or before, since either way it is durable. When one breaks a limit, those ahead
     * of it are still stored and acked, and the violation carries their acks.
     */
    List<CollectorMessage> batches(List<ResultBatch> batches) {
        String agent = requireAgent();
        List<ResultBatch> valid = batches;
        ProtocolViolation refused = null;
        for (int i = 0; i < batches.size() && refused == null; i++) {
            try {
                validator.batch(batches.get(i));
            } catch (ProtocolViolation e) {
                refused = e;
                valid = batches.subList(0, i);
            }
        }
        List<CollectorMessage> acks = valid.isEmpty() ? List.of() : store(agent, valid);
        if (refused != null) {
            throw refused.after(acks);
        }
        return acks;
    }

    private List<CollectorMessage> store(String agent, List<ResultBatch> batches) {
        metrics.timeStore(() -> {
            ingest.batches(agent, batches, clock.instant());
            return null;
        });
        List<CollectorMessage> acks = new ArrayList<>(batches.size());
        for (ResultBatch b : batches) {
            acks.add(CollectorMessage.newBuilder().setAck(Ack.newBuilder().setSeq(b.getSeq())).build());
        }
        return acks;
    }

    void close() {
        if (agentId != null) {
            ingest.disconnected(agentId, clock.instant());
        }
    }

    private String requireAgent() {
        if (agentId == null) {
            throw new ProtocolViolation("the first message of a stream must be Hello");
        }
        return agentId;
    }
}
