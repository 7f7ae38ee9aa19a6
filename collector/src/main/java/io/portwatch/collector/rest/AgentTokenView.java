package io.portwatch.collector.rest;

import io.portwatch.collector.security.AgentToken;
import java.time.Instant;

/** A per-agent token as lists show it: its hint, never the secret. {@code revokedAt} is null while valid. */
public record AgentTokenView(long id, String agentId, String hint, Instant createdAt, String createdBy, Instant revokedAt) {

    public static AgentTokenView of(AgentToken t) {
        return new AgentTokenView(t.id(), t.agentId(), t.hint(), t.createdAt(), t.createdBy(), t.revokedAt());
    }
}
