package io.portwatch.collector.ingest;

import io.portwatch.proto.v1.Ack;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import java.time.Clock;
import java.util.Optional;

/**
 * One agent's stream. Messages are handled strictly in order: Hello first, then catalogs,
 * batches (each answered by a cumulative Ack) and heartbeats.
 */
final class AgentSession {

    private final IngestService ingest;
    private final Clock clock;
    private String agentId;

    AgentSession(IngestService ingest, Clock clock) {
        this.ingest = ingest;
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
                ingest.hello(message.getHello(), clock.instant());
                agentId = message.getHello().getAgentId();
                return Optional.empty();
            }
            case CATALOG -> {
                ingest.catalog(requireAgent(), message.getCatalog(), clock.instant());
                return Optional.empty();
            }
            case BATCH -> {
                ingest.batch(requireAgent(), message.getBatch(), clock.instant());
                // Acked whether stored now or before: either way it is durable.
                return Optional.of(CollectorMessage.newBuilder()
                        .setAck(Ack.newBuilder().setSeq(message.getBatch().getSeq()))
                        .build());
            }
            case HEARTBEAT -> {
                ingest.heartbeat(requireAgent(), clock.instant());
                return Optional.empty();
            }
            default -> throw new ProtocolViolation("empty message");
        }
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
