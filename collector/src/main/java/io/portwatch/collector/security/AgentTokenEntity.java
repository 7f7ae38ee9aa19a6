package io.portwatch.collector.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One row of {@code agent_token}; its statements are all in {@link AgentTokenRepository}. */
@Entity
@Table(name = "agent_token")
public class AgentTokenEntity extends StoredSecretEntity {

    @Column(name = "agent_id")
    public String agentId;

    AgentToken token() {
        return new AgentToken(id, agentId, hint, createdAt, createdBy, revokedAt);
    }
}
