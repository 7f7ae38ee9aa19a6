package io.portwatch.collector.rest;

import io.portwatch.collector.security.ApiKey;
import java.time.Instant;

/** An API key as lists show it: the hint, never the secret. */
public record ApiKeyView(long id, String name, String role, String hint, Instant createdAt, String createdBy,
        Instant lastUsedAt, Instant revokedAt) {

    public static ApiKeyView of(ApiKey k) {
        return new ApiKeyView(k.id(), k.name(), k.role().wireName(), k.hint(), k.createdAt(), k.createdBy(),
                k.lastUsedAt(), k.revokedAt());
    }
}
