package io.portwatch.collector.security;

import jakarta.persistence.Column;
import jakarta.persistence.EntityManager;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * The columns {@code api_key} and {@code agent_token} share: an issued secret kept as its SHA-256
 * hash (bytea, the lookup key) and a hint, who issued it when, and when it was revoked (null while
 * valid; the row stays, so that lists and the audit log keep naming it).
 */
@MappedSuperclass
public abstract class StoredSecretEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public byte[] hash;

    public String hint;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    void issued(IssuedSecret secret, String by, Instant at) {
        hash = secret.hash();
        hint = secret.hint();
        createdAt = at;
        createdBy = by;
    }

    /**
     * Revokes the secret, its row read again under {@code PESSIMISTIC_WRITE} first, so that of two
     * revokes at once only one succeeds; false when it was revoked already.
     */
    boolean revoke(EntityManager em, Instant now) {
        em.refresh(this, LockModeType.PESSIMISTIC_WRITE);
        if (revokedAt != null) {
            return false;
        }
        revokedAt = now;
        return true;
    }
}
