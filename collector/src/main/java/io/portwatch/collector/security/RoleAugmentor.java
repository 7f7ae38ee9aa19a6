package io.portwatch.collector.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies the role order to every identity, whatever authenticated it: one holding {@code admin}
 * (an API key, or an OIDC token whose role claim names it) also holds {@code operator} and
 * {@code viewer}, so resources name only the least role they need. OIDC groups map to roles
 * through {@code portwatch.security.oidc-roles}. With
 * {@code portwatch.security.anonymous-read} on, callers without credentials are viewers.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {

    private final boolean anonymousRead;
    private final Map<String, Role> mapped;

    RoleAugmentor(SecuritySettings settings) {
        this.anonymousRead = settings.anonymousRead();
        this.mapped = Map.copyOf(settings.oidcRoles());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(augment(identity));
    }

    SecurityIdentity augment(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return anonymousRead ? QuarkusSecurityIdentity.builder(identity).addRole(Role.Names.VIEWER).build() : identity;
        }
        // Here, not in quarkus.http.auth.roles-mapping: Quarkus maps roles after the augmentors,
        // where the role order would no longer apply.
        Set<String> granted = identity.getRoles().stream()
                .flatMap(name -> Optional.ofNullable(mapped.get(name)).or(() -> Role.parse(name)).stream())
                .flatMap(role -> role.grantedNames().stream())
                .collect(Collectors.toSet());
        if (identity.getRoles().containsAll(granted)) {
            return identity;
        }
        return QuarkusSecurityIdentity.builder(identity).addRoles(granted).build();
    }
}
