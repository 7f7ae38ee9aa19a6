package io.portwatch.collector.check;

import java.time.Instant;
import java.util.Map;

/**
 * A check instance and its current state. {@code state} is null until the first result arrives;
 * {@code inCatalog} is false once the agent's configuration no longer lists it.
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
        Map<String, String> labels) {

    public static CheckView of(CheckEntity c) {
        return new CheckView(c.id, c.agentId, c.instanceKey, c.checkName, c.target, c.proto, c.port, c.expect,
                c.state, c.reason, c.healthy, c.address, c.latencyMicros == null ? null : c.latencyMicros / 1000.0,
                c.observedAt, c.stateSince, c.intervalMs, c.inCatalog, c.labels == null ? Map.of() : c.labels);
    }
}
