package io.portwatch.collector.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The role order applied to any identity (an OIDC one carries only the role its token names), and the admin key's rules. */
class RoleAugmentorTest {

    private static RoleAugmentor augmentor(boolean anonymousRead) {
        return new RoleAugmentor(new SecuritySettings() {
            @Override
            public boolean anonymousRead() {
                return anonymousRead;
            }

            @Override
            public Optional<String> adminKey() {
                return Optional.empty();
            }

            @Override
            public java.util.Map<String, Role> oidcRoles() {
                return java.util.Map.of("ops-admins", Role.ADMIN);
            }
        });
    }

    @Test
    void aMappedGroupGetsItsRoleAndTheRolesBelow() {
        SecurityIdentity oidc = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("carol"))
                .addRole("ops-admins").addRole("unmapped").build();
        assertEquals(Set.of("ops-admins", "unmapped", "admin", "operator", "viewer"), augmentor(false).augment(oidc).getRoles());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            admin    | admin,operator,viewer
            Operator | Operator,operator,viewer
            viewer   | viewer
            auditor  | auditor
            """)
    void anIdentityGetsEveryRoleBelowItsOwn(String role, String expected) {
        var oidcLike = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("alice")).addRole(role).build();
        assertEquals(Set.of(expected.split(",")), augmentor(false).augment(oidcLike).getRoles());
    }

    @Test
    void anonymousCallersAreViewersOnlyWhenAnonymousReadIsOn() {
        var anonymous = QuarkusSecurityIdentity.builder().setAnonymous(true).build();
        assertEquals(Set.of("viewer"), augmentor(true).augment(anonymous).getRoles());
        assertTrue(augmentor(true).augment(anonymous).isAnonymous());
        assertEquals(Set.of(), augmentor(false).augment(anonymous).getRoles());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pwk_short                                        | have at least 32 characters (it has 9)
            supersecretvalue-without-the-prefix-0123456789   | (it has 46 and lacks the prefix)
            pwa_an-agent-token-in-the-wrong-variable-0123456 | lacks the prefix
            """)
    void aMalformedAdminKeyIsRefusedWithoutQuotingIt(String key, String expected) {
        var e = assertThrows(ConfigurationException.class, () -> ApiKeyIdentityProvider.checkedAdminKey(key));
        assertTrue(e.getMessage().startsWith("portwatch.security.admin-key (PORTWATCH_SECURITY_ADMIN_KEY) must start with pwk_"),
                e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(key), "the message quotes the key");
    }

    @Test
    void thePlaceholderOfTheExamplesIsNoAdminKey() throws Exception {
        String example = java.nio.file.Files.readAllLines(java.nio.file.Path.of("../.env.example")).stream()
                .filter(l -> l.startsWith("PORTWATCH_SECURITY_ADMIN_KEY=")).findFirst().orElseThrow().split("=", 2)[1];
        var e = assertThrows(ConfigurationException.class, () -> ApiKeyIdentityProvider.checkedAdminKey(example));
        assertEquals("portwatch.security.admin-key (PORTWATCH_SECURITY_ADMIN_KEY) still holds the \"change-me\" placeholder"
                + " of the examples: set a secret of your own (docs/security.md)", e.getMessage());
        var token = assertThrows(ConfigurationException.class, () -> Placeholders.refuse("portwatch.ingest.token", "change-me-ingest-token"));
        assertTrue(token.getMessage().startsWith("portwatch.ingest.token still holds"), token.getMessage());
    }

    @Test
    void onlyBearerValuesWithTheApiKeyPrefixAreClaimed() {
        assertEquals("pwk_abc", ApiKeyAuthenticationMechanism.apiKeyOf("Bearer pwk_abc"));
        assertEquals("pwk_abc", ApiKeyAuthenticationMechanism.apiKeyOf("bearer  pwk_abc "));
        assertEquals(null, ApiKeyAuthenticationMechanism.apiKeyOf("Bearer eyJhbGciOi.e30.x"));
        assertEquals(null, ApiKeyAuthenticationMechanism.apiKeyOf("Basic cGF0Og=="));
        assertEquals(null, ApiKeyAuthenticationMechanism.apiKeyOf(null));
    }
}
