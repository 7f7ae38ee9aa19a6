package io.portwatch.collector.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.collector.CommandMode;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Records every write made through the API: who (the caller's identity), what ({@code action},
 * e.g. {@code silence.create}, and {@code target}, e.g. {@code silence/42}), when, and the state
 * before and after (JSON-serialisable views, or null for none). Called inside the write's own
 * transaction, so a write and its record commit together. Secrets are never passed here: pass views
 * that hold only hints.
 */
@ApplicationScoped
public class AuditLog {

    /**
     * The {@link SecurityIdentity} attribute naming how the caller authenticated ({@code api-key},
     * {@code admin-env-key}, ...), set by Portwatch's own authentication mechanisms. Identities
     * without it are named by their principal: a JWT is {@code oidc}.
     */
    public static final String AUTH_METHOD_ATTRIBUTE = "portwatch.auth-method";

    /** The actor of a write made without an authenticated caller (only possible where a write allows it). */
    public static final String ANONYMOUS = "anonymous";

    /**
     * A stored view larger than this (in characters of JSON) is replaced by a note saying so. The
     * views callers pass are bounded by the API's input limits far below it; this only keeps one
     * unexpected caller from filling the table.
     */
    static final int MAX_VIEW_CHARS = 65_536;

    private final AuditRepository repository;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    AuditLog(AuditRepository repository, SecurityIdentity identity, ObjectMapper json) {
        this.repository = repository;
        this.identity = identity;
        this.json = json;
    }

    /**
     * Records a write in the caller's transaction, which must exist: a record committed apart from
     * its write could claim a change that rolled back, or miss one that committed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, Object before, Object after) {
        String actor = ANONYMOUS;
        String method = ANONYMOUS;
        try {
            if (!identity.isAnonymous()) {
                actor = identity.getPrincipal().getName();
                method = authMethod(identity);
            }
        } catch (ContextNotActiveException e) {
            // No request: a command on the collector's host (keys, agent-tokens), or the collector itself.
            if (CommandMode.active()) {
                actor = CommandMode.operator();
                method = "cli";
            }
        }
        // Microseconds: what timestamptz keeps, so a page's cursor matches the row exactly.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        repository.insert(at, actor, method, action, target, document(action, before), document(action, after));
    }

    private static String authMethod(SecurityIdentity identity) {
        Object named = identity.getAttribute(AUTH_METHOD_ATTRIBUTE);
        if (named != null) {
            return named.toString();
        }
        return identity.getPrincipal() instanceof JsonWebToken ? "oidc" : "other";
    }

    private String document(String action, Object view) {
        if (view == null) {
            return null;
        }
        String text;
        try {
            text = json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the view recorded for " + action + " cannot be written as JSON", e);
        }
        if (text.length() <= MAX_VIEW_CHARS) {
            return text;
        }
        Log.warnf("audit: the view recorded for %s has %d characters, over %d; stored as a note instead",
                action, text.length(), MAX_VIEW_CHARS);
        return "{\"omitted\":\"view of " + text.length() + " characters, over the limit of " + MAX_VIEW_CHARS + "\"}";
    }
}
