package io.portwatch.collector.security;

import java.time.Instant;

/** One row of {@code agent_token}: never the secret, only its hint. {@code revokedAt} is null while valid. */
public record AgentToken(long id, String agentId, String hint, Instant createdAt, String createdBy, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
