package io.portwatch.collector.ingest;

import io.portwatch.core.check.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What ingest tells the rest of the collector, fired inside the storing transaction (CDI event):
 * observe it with {@code during = TransactionPhase.AFTER_SUCCESS} to hear only of what committed.
 */
public sealed interface IngestEvent {

    String agentId();

    /** A batch stored for the first time (a re-sent one is not announced again). */
    record BatchStored(String agentId, ResultBatch batch, Instant receivedAt) implements IngestEvent {

        /** The batch's results in domain terms; one that ingest skipped as malformed is left out here too. */
        public List<StoredResult> results() {
            List<StoredResult> out = new ArrayList<>(batch.getResultsCount());
            for (ProbeResult r : batch.getResultsList()) {
                try {
                    InstanceKey.validate(r.getInstanceKey());
                    out.add(new StoredResult(r.getInstanceKey(), ProtoMapping.state(r.getStateValue()),
                            ProtoMapping.reason(r.getReason()), ProtoMapping.instant(r.getObservedAtMs())));
                } catch (ProtocolViolation skipped) {
                    // logged by the writer
                }
            }
            return out;
        }
    }

    /** The agent's catalog was replaced: what its check instances are may have changed. */
    record CatalogStored(String agentId) implements IngestEvent {}

    record StoredResult(String instanceKey, PortState state, String reason, Instant observedAt) {}
}
