package io.portwatch.collector.security;

import io.portwatch.collector.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Issues, lists and revokes API keys, for the REST API and the CLI alike; each write is audited in its transaction. */
@ApplicationScoped
public class ApiKeyService {

    /** A key just issued: {@code secret} is its plaintext, to be shown once and then forgotten. */
    public record Issued(ApiKey key, String secret) {
        @Override
        public String toString() {
            return "Issued[" + key + "]"; // never the secret
        }
    }

    /** Why a revoke was refused. */
    public enum Refusal {
        NOT_FOUND,
        ALREADY_REVOKED,
        /** The API keeps one admin key: without it nobody could manage keys through the API (the CLI still can). */
        LAST_ADMIN_KEY
    }

    private final ApiKeyRepository keys;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    ApiKeyService(ApiKeyRepository keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Transactional
    public Issued create(String name, Role role, String createdBy) {
        IssuedSecret secret = IssuedSecret.issue(SecretKind.API_KEY);
        ApiKey key = keys.insert(name, role, secret, createdBy, clock.instant());
        audit.record("api-key.create", "api-key/" + key.id(), null, key);
        return new Issued(key, secret.plaintext());
    }

    public List<ApiKey> list() {
        return keys.all();
    }

    public Optional<ApiKey> byId(long id) {
        return keys.byId(id);
    }

    /**
     * Revokes key {@code id}; it fails authentication from the next request on.
     * {@code keepOneAdmin} refuses to revoke the last unrevoked admin key (the API sets it, the CLI does not).
     */
    @Transactional
    public Optional<Refusal> revoke(long id, boolean keepOneAdmin) {
        Optional<ApiKey> before = keys.byId(id);
        if (before.isEmpty()) {
            return Optional.of(Refusal.NOT_FOUND);
        }
        if (before.get().revoked()) {
            return Optional.of(Refusal.ALREADY_REVOKED);
        }
        if (keepOneAdmin && before.get().role() == Role.ADMIN && keys.lockActiveAdmins().equals(List.of(id))) {
            return Optional.of(Refusal.LAST_ADMIN_KEY);
        }
        Instant now = clock.instant();
        if (!keys.revoke(id, now)) {
            return Optional.of(Refusal.ALREADY_REVOKED); // revoked by a concurrent request
        }
        audit.record("api-key.revoke", "api-key/" + id, before.get(), keys.byId(id).orElseThrow());
        return Optional.empty();
    }
}
