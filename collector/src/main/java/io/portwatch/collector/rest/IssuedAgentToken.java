package io.portwatch.collector.rest;

import java.time.Instant;

/**
 * A newly created per-agent token: the only answer that carries {@code secret}, the plaintext the
 * agent sends as {@code portwatch.collector.token}. It cannot be shown again.
 */
public record IssuedAgentToken(long id, String agentId, String hint, Instant createdAt, String createdBy, String secret) {

    @Override
    public String toString() {
        return "IssuedAgentToken[" + id + ", " + agentId + ", " + hint + "]"; // never the secret
    }
}
