package io.portwatch.collector.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies the role order to every identity, whatever authenticated it: one holding {@code admin}
 * (an API key, or an OIDC token whose role claim names it) also holds {@code operator} and
 * {@code viewer}, so resources name only the least role they need. With
 * {@code portwatch.security.anonymous-read} on, callers without credentials are viewers.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {

    private final boolean anonymousRead;

    RoleAugmentor(SecuritySettings settings) {
        this.anonymousRead = settings.anonymousRead();
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(augment(identity));
    }

    SecurityIdentity augment(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return anonymousRead ? QuarkusSecurityIdentity.builder(identity).addRole(Role.Names.VIEWER).build() : identity;
        }
        Set<String> granted = identity.getRoles().stream()
                .flatMap(name -> Role.parse(name).map(Role::grantedNames).orElse(Set.of()).stream())
                .collect(Collectors.toSet());
        if (identity.getRoles().containsAll(granted)) {
            return identity;
        }
        return QuarkusSecurityIdentity.builder(identity).addRoles(granted).build();
    }
}
