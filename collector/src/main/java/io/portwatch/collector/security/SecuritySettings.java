package io.portwatch.collector.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** REST authentication settings: prefix {@code portwatch.security}, env vars {@code PORTWATCH_SECURITY_*}. */
@ConfigMapping(prefix = "portwatch.security")
public interface SecuritySettings {

    /**
     * Callers without credentials get the viewer role: they read everything, and still need a key
     * to write. Off by default; the demo turns it on.
     */
    @WithDefault("false")
    boolean anonymousRead();

    /**
     * An admin API key taken from the environment (PORTWATCH_SECURITY_ADMIN_KEY): hashed at start,
     * valid while set, never stored or logged. It must start with {@code pwk_} and have at least
     * 32 characters; a first admin key for a fresh install, or a recovery key.
     */
    Optional<String> adminKey();

    /**
     * OIDC groups (or roles: whatever {@code quarkus.oidc.roles.role-claim-path} names) mapped to a
     * Portwatch role, e.g. {@code portwatch.security.oidc-roles."ops-admins"=admin}. The role order
     * applies after the mapping: a group mapped to admin also operates and views. A claim value
     * that is itself a role name (viewer, operator, admin) needs no entry.
     */
    Map<String, Role> oidcRoles();
}
