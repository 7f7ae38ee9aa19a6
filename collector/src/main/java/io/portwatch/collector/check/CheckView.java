package io.portwatch.collector.check;

import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import java.time.Instant;
import java.util.Map;

/**
 * A check instance and its current state. {@code state} is null until the first result arrives;
 * {@code inCatalog} is false once the agent's configuration no longer lists it; {@code unknownSince}
 * is set while its agent is down (see {@link #effectiveState()}).
 */
public record CheckView(
        long id,
        String agentId,
        String key,
        String name,
        String target,
        Protocol proto,
        int port,
        Expectation expect,
        PortState state,
        String reason,
        Boolean healthy,
        String address,
        Double latencyMs,
        Instant observedAt,
        Instant stateSince,
        Integer intervalMs,
        boolean inCatalog,
        Map<String, String> labels,
        Instant unknownSince) {

    /** Shown for a check whose agent is down: its last result is no longer known to hold. */
    public static final String UNKNOWN = "UNKNOWN";

    /**
     * The state to show: {@code UNKNOWN} while the agent is down (an open agent-down alert, since
     * {@code unknownSince}), else {@code state}, which keeps the last result either way.
     */
    @com.fasterxml.jackson.annotation.JsonProperty("effectiveState")
    public String effectiveState() {
        if (unknownSince != null) return UNKNOWN;
        return state == null ? null : state.name();
    }
}
