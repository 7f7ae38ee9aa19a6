package io.portwatch.collector.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of {@code api_key}; its statements are all in {@link ApiKeyRepository}. */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity extends StoredSecretEntity {

    public String name;

    /** {@link Role#wireName()}: viewer, operator or admin. */
    public String role;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    ApiKey key() {
        return new ApiKey(id, name, Role.parse(role).orElseThrow(), hint, createdAt, createdBy, lastUsedAt, revokedAt);
    }
}
