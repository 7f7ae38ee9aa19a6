package io.portwatch.collector.rest;

import io.portwatch.collector.agent.AgentEntity;
import java.time.Instant;
import java.util.Map;

/** An agent, whether its stream is open now, and how many check instances its catalog holds. */
public record AgentView(
        String id,
        String host,
        String version,
        Map<String, String> labels,
        String configHash,
        Instant firstSeen,
        Instant lastSeen,
        boolean connected,
        long checks) {

    static AgentView of(AgentEntity a, long checks) {
        return new AgentView(a.id, a.host, a.version, a.labels == null ? Map.of() : a.labels, a.configHash,
                a.firstSeen, a.lastSeen, a.connected, checks);
    }
}
