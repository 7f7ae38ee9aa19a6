package io.portwatch.collector.security;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one owner of table {@code api_key}, on Panache (plain CRUD): every statement on it is here.
 * Each method joins the caller's transaction, or runs in its own.
 */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, Long> {

    @Transactional
    public ApiKey insert(String name, Role role, IssuedSecret secret, String createdBy, Instant now) {
        ApiKeyEntity e = new ApiKeyEntity();
        e.name = name;
        e.role = role.wireName();
        e.issued(secret, createdBy, now);
        persist(e);
        return e.key();
    }

    /** Every key, revoked ones too, newest first. */
    @Transactional
    public List<ApiKey> all() {
        return listAll(Sort.descending("id")).stream().map(ApiKeyEntity::key).toList();
    }

    @Transactional
    public Optional<ApiKey> byId(long id) {
        return findByIdOptional(id).map(ApiKeyEntity::key);
    }

    /** The unrevoked key whose secret hashes to {@code hash}. */
    @Transactional
    public Optional<ApiKey> activeByHash(byte[] hash) {
        return find("hash = ?1 and revokedAt is null", hash).firstResultOptional().map(ApiKeyEntity::key);
    }

    /**
     * Ids of the unrevoked admin keys, locked ({@code PESSIMISTIC_WRITE}) until the surrounding
     * transaction ends: two revokes at once cannot both see another admin key left.
     */
    @Transactional
    public List<Long> lockActiveAdmins() {
        return find("role = ?1 and revokedAt is null", Sort.by("id"), Role.ADMIN.wireName())
                .withLock(LockModeType.PESSIMISTIC_WRITE).list().stream().map(e -> e.id).toList();
    }

    /**
     * Revokes the key, its row locked ({@code PESSIMISTIC_WRITE}) and read again first, so that of
     * two revokes at once only one succeeds.
     *
     * @return false when there is no unrevoked key {@code id}
     */
    @Transactional
    public boolean revoke(long id, Instant now) {
        ApiKeyEntity e = findById(id);
        return e != null && e.revoke(getEntityManager(), now);
    }

    /** At most moves {@code last_used_at} forward: a slower replica's older time never overwrites a newer one. */
    @Transactional
    public void markUsed(long id, Instant now) {
        update("lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?1)", now, id);
    }
}
