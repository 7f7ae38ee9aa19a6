package io.portwatch.collector.security;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a REST caller may do. Roles are ordered: each includes the ones below it, so an identity
 * with {@link #ADMIN} also holds {@link #OPERATOR} and {@link #VIEWER}. Resources name them through
 * the constants, e.g. {@code @RolesAllowed(Role.Names.OPERATOR)}.
 */
public enum Role {
    /** Reads everything the API serves. */
    VIEWER,
    /** Also manages silences and tests notifiers. */
    OPERATOR,
    /** Also manages alert rules, API keys and agent credentials, and reads the audit log. */
    ADMIN;

    /** The role names as compile-time constants, for {@code @RolesAllowed}. */
    public static final class Names {
        public static final String VIEWER = "viewer";
        public static final String OPERATOR = "operator";
        public static final String ADMIN = "admin";

        private Names() {}
    }

    /** The name used in annotations, the database and the API (JSON too): {@code viewer}, {@code operator}, {@code admin}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and every role below it, as names: what an identity holding this role is granted. */
    public Set<String> grantedNames() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::wireName)
                .collect(Collectors.toUnmodifiableSet());
    }

    public static Optional<Role> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
    }
}
