package io.portwatch.collector.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of {@code agent_token}; its statements are all in {@link AgentTokenRepository}. */
@Entity
@Table(name = "agent_token")
public class AgentTokenEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "agent_id")
    public String agentId;

    /** SHA-256 of the plaintext (bytea): the lookup key of every stream that presents a token. */
    public byte[] hash;

    public String hint;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    AgentToken token() {
        return new AgentToken(id, agentId, hint, createdAt, createdBy, revokedAt);
    }
}
