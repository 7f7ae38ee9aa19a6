package io.portwatch.collector.security;

import java.time.Instant;

/** A stored API key: never its secret, only the hint that lets a list tell keys apart. */
public record ApiKey(long id, String name, Role role, String hint, Instant createdAt, String createdBy,
        Instant lastUsedAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
