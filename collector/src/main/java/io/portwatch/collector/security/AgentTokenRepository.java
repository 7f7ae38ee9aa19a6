package io.portwatch.collector.security;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one owner of table {@code agent_token}, on Panache (plain CRUD): per-agent ingest tokens,
 * stored as SHA-256 hashes with a hint. Each method joins the caller's transaction, or runs in its own.
 */
@ApplicationScoped
public class AgentTokenRepository implements PanacheRepositoryBase<AgentTokenEntity, Long> {

    @Transactional
    public AgentToken insert(String agentId, IssuedSecret secret, String createdBy, Instant now) {
        AgentTokenEntity e = new AgentTokenEntity();
        e.agentId = agentId;
        e.issued(secret, createdBy, now);
        persist(e);
        return e.token();
    }

    /** The tokens of one agent, newest first, revoked ones included. */
    @Transactional
    public List<AgentToken> ofAgent(String agentId) {
        return find("agentId", Sort.descending("id"), agentId).list().stream().map(AgentTokenEntity::token).toList();
    }

    @Transactional
    public Optional<AgentToken> byId(String agentId, long id) {
        return entity(agentId, id).map(AgentTokenEntity::token);
    }

    /** The unrevoked token whose hash is {@code hash}: what a presented token is looked up by. */
    @Transactional
    public Optional<AgentToken> validByHash(byte[] hash) {
        return find("hash = ?1 and revokedAt is null", hash).firstResultOptional().map(AgentTokenEntity::token);
    }

    /**
     * Marks the token revoked, its row locked ({@code PESSIMISTIC_WRITE}) and read again first, so
     * that of two revokes at once only one succeeds; false when it does not exist or was revoked already.
     */
    @Transactional
    public boolean revoke(String agentId, long id, Instant now) {
        Optional<AgentTokenEntity> token = entity(agentId, id);
        return token.isPresent() && token.get().revoke(getEntityManager(), now);
    }

    private Optional<AgentTokenEntity> entity(String agentId, long id) {
        return findByIdOptional(id).filter(e -> e.agentId.equals(agentId));
    }
}
