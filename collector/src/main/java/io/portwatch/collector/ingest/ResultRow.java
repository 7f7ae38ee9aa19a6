package io.portwatch.collector.ingest;

import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import java.time.Instant;

/**
 * A result mapped onto the domain, with health decided by its check's expectation; {@code id} is
 * its row id in {@code result}, from the ingest transaction's block (see {@link RollupBacklog}).
 */
record ResultRow(long id, long checkId, Instant observedAt, PortState state, String reason, Health health,
        String address, long latencyMicros, String detail) {

    /** Not UNKNOWN: the result says something about the port, and may move its state and incidents. */
    boolean known() {
        return health != Health.UNKNOWN;
    }

    /** The target answered (connect or refusal, reply or unreachable): its latency is a round trip. */
    boolean answered() {
        return state == PortState.OPEN || state == PortState.CLOSED;
    }
}
