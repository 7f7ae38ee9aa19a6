package io.portwatch.collector.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.portwatch.collector.audit.AuditLog;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented API key into an identity: the key's name as principal, its id as attribute
 * {@value #KEY_ID_ATTRIBUTE}, and its role with every role below it. An unknown or revoked key
 * fails authentication (401). The admin key from the environment, when set, is checked first and
 * never touches the database.
 *
 * <p>Started eagerly, so that a malformed admin key stops the collector at start, not at the first request.
 */
@Startup
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    /** Identity attribute holding the stored key's id (absent for the environment's admin key). */
    public static final String KEY_ID_ATTRIBUTE = "portwatch.api-key.id";
    /** The principal of the environment's admin key. */
    public static final String ENVIRONMENT_ADMIN = "environment-admin-key";
    /** A key's last_used_at is written at most this often: not one database write per request. */
    static final Duration USE_RECORDING_INTERVAL = Duration.ofMinutes(1);
    static final int ADMIN_KEY_MIN_LENGTH = 32;

    private final ApiKeyRepository keys;
    private final Optional<byte[]> adminKeyHash;
    private final Map<Long, Instant> lastRecorded = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    ApiKeyIdentityProvider(ApiKeyRepository keys, SecuritySettings settings) {
        this.keys = keys;
        this.adminKeyHash = settings.adminKey().filter(k -> !k.isBlank()).map(ApiKeyIdentityProvider::checkedAdminKey);
        adminKeyHash.ifPresent(h -> Log.info("portwatch.security.admin-key is set: it is valid as an admin API key"));
    }

    /** Hashes the environment's admin key, refusing one that could be guessed or mistaken for another kind of secret. */
    static byte[] checkedAdminKey(String key) {
        String trimmed = key.trim();
        Placeholders.refuse("portwatch.security.admin-key (PORTWATCH_SECURITY_ADMIN_KEY)", trimmed);
        if (!SecretKind.API_KEY.matches(trimmed) || trimmed.length() < ADMIN_KEY_MIN_LENGTH) {
            // Never the value itself: it may be a real secret pasted into the wrong variable.
            throw new ConfigurationException("portwatch.security.admin-key (PORTWATCH_SECURITY_ADMIN_KEY) must start with "
                    + SecretKind.API_KEY.prefix() + " and have at least " + ADMIN_KEY_MIN_LENGTH + " characters (it has "
                    + trimmed.length() + (SecretKind.API_KEY.matches(trimmed) ? "" : " and lacks the prefix")
                    + "); generate one with: echo " + SecretKind.API_KEY.prefix() + "$(openssl rand -hex 32)");
        }
        return IssuedSecret.hash(trimmed);
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> identify(request.key())); // a database read: off the event loop
    }

    private SecurityIdentity identify(String presented) {
        byte[] hash = IssuedSecret.hash(presented);
        if (adminKeyHash.isPresent() && MessageDigest.isEqual(adminKeyHash.get(), hash)) {
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(ENVIRONMENT_ADMIN))
                    .addRoles(Role.ADMIN.grantedNames()).addAttribute(AuditLog.AUTH_METHOD_ATTRIBUTE, "admin-env-key").build();
        }
        ApiKey key = keys.activeByHash(hash).orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API key"));
        recordUse(key.id());
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(key.name()))
                .addRoles(key.role().grantedNames()).addAttribute(KEY_ID_ATTRIBUTE, key.id())
                .addAttribute(AuditLog.AUTH_METHOD_ATTRIBUTE, "api-key:" + key.id()).build();
    }

    /** At most one write per key and {@link #USE_RECORDING_INTERVAL} on this replica; a failed write does not fail the request. */
    private void recordUse(long id) {
        Instant now = clock.instant();
        Instant previous = lastRecorded.get(id);
        if (previous != null && previous.plus(USE_RECORDING_INTERVAL).isAfter(now)) {
            return;
        }
        if (previous == null ? lastRecorded.putIfAbsent(id, now) != null : !lastRecorded.replace(id, previous, now)) {
            return; // another request of this key records it
        }
        try {
            keys.markUsed(id, now);
        } catch (RuntimeException e) {
            Log.warnf("recording the use of API key %d failed: %s", id, e.getMessage());
        }
    }
}
