package io.portwatch.collector.history;

import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import java.time.Instant;

/**
 * One row of {@code result}: a result mapped onto the domain, with health decided by its check's
 * expectation; {@code id} is its row id, from the ingest transaction's block of ids. Written and
 * read back by {@link ResultRepository}, the table's owner.
 */
public record ResultRow(long id, long checkId, Instant observedAt, PortState state, String reason, Health health,
        String address, long latencyMicros, String detail) {

    /** Not UNKNOWN: the result says something about the port, and may move its state and incidents. */
    public boolean known() {
        return health != Health.UNKNOWN;
    }

    /** The target answered (connect or refusal, reply or unreachable): its latency is a round trip. */
    public boolean answered() {
        return state == PortState.OPEN || state == PortState.CLOSED;
    }
}
