package io.portwatch.collector.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of {@code api_key}; its statements are all in {@link ApiKeyRepository}. */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    /** {@link Role#wireName()}: viewer, operator or admin. */
    public String role;

    /** SHA-256 of the secret (bytea): what a presented key is looked up by. */
    public byte[] hash;

    public String hint;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    ApiKey key() {
        return new ApiKey(id, name, Role.parse(role).orElseThrow(), hint, createdAt, createdBy, lastUsedAt, revokedAt);
    }
}
