package io.portwatch.collector.ingest;

import io.portwatch.collector.security.IngestCredential;
import io.portwatch.proto.v1.Ack;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import io.portwatch.proto.v1.Welcome;
import io.quarkus.logging.Log;
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
    private final IngestCredential credential;
    private String agentId;

    AgentSession(IngestService ingest, IngestValidator validator, IngestMetrics metrics, Clock clock,
            IngestCredential credential) {
        this.credential = credential;
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
                String refused = credential.refusal(message.getHello().getAgentId());
                if (refused != null) {
                    throw new AgentIdRefused(refused);
                }
                ingest.hello(message.getHello(), clock.instant());
                agentId = message.getHello().getAgentId();
                // Older agents ignore it; newer ones send their listening inventory after it.
                return Optional.of(CollectorMessage.newBuilder()
                        .setWelcome(Welcome.newBuilder().setAcceptsListening(true)).build());
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
            case LISTENING -> {
                String agent = requireAgent();
                String refused = validator.listening(message.getListening());
                if (refused != null) {
                    Log.warnf("agent %s: listening inventory not stored: %s", agent, refused);
                } else {
                    ingest.listening(agent, message.getListening(), clock.instant());
                }
                return Optional.empty();
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
     * of it are still stored and acked, and the violation carries their acks. That holds for the
     * limit only storing can check (check instances per agent) too: its transaction rolls back
     * whole, and the batches ahead of the one that named the first key over it are stored again.
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
        List<CollectorMessage> acks = List.of();
        // Ends: each refusal by the limit leaves fewer batches to store.
        while (!valid.isEmpty()) {
            try {
                acks = store(agent, valid);
                break;
            } catch (CheckLimitExceeded e) {
                int at = firstNaming(valid, e.key);
                refused = overLimit(valid.get(at), e, agent);
                valid = valid.subList(0, at);
            }
        }
        if (refused != null) {
            throw refused.after(acks);
        }
        return acks;
    }

    /** The first of {@code batches} with a result for {@code key}. */
    private static int firstNaming(List<ResultBatch> batches, String key) {
        for (int i = 0; i < batches.size(); i++) {
            for (ProbeResult r : batches.get(i).getResultsList()) {
                if (r.getInstanceKey().equals(key)) {
                    return i;
                }
            }
        }
        return 0;
    }

    private static ProtocolViolation overLimit(ResultBatch batch, CheckLimitExceeded e, String agent) {
        int result = 0;
        while (result < batch.getResultsCount() && !batch.getResults(result).getInstanceKey().equals(e.key)) {
            result++;
        }
        return new ProtocolViolation(e.violation(IngestValidator.field(batch) + ".results[" + result + "].instance_key", agent));
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
