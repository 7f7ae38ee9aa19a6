package io.portwatch.collector.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portwatch.collector.agent.AgentEntity;
import io.portwatch.collector.check.CheckView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An agent, whether its stream is open now, and how many check instances its catalog holds;
 * GET /agents/{id} also lists those instances.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentView(
        String id,
        String host,
        String version,
        Map<String, String> labels,
        String configHash,
        Instant firstSeen,
        Instant lastSeen,
        boolean connected,
        long checks,
        List<CheckView> instances) {

    static AgentView of(AgentEntity a, long checks, List<CheckView> instances) {
        return new AgentView(a.id, a.host, a.version, a.labels == null ? Map.of() : a.labels, a.configHash,
                a.firstSeen, a.lastSeen, a.connected, checks, instances);
    }
}
