package io.portwatch.collector.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * OIDC on, as a site with Keycloak or Dex would configure it, but verifying tokens with a public
 * key instead of the provider's JWKS, so no provider runs: the test signs its own tokens with the
 * private half of a key pair made here. The pair lives in system properties (outside the
 * portwatch prefix, whose unknown keys fail the start) because the profile
 * and the test may be loaded by different class loaders of the same JVM.
 */
public class OidcTestProfile implements QuarkusTestProfile {

    static final String ISSUER = "https://idp.portwatch.test/realms/ops";
    private static final String PUBLIC = "pwtest.oidc.public-key";
    private static final String PRIVATE = "pwtest.oidc.private-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.oidc.tenant-enabled", "true",
                "quarkus.oidc.public-key", publicKey(),
                "quarkus.oidc.client-id", "portwatch",
                "quarkus.oidc.token.issuer", ISSUER,
                "quarkus.oidc.roles.role-claim-path", "groups",
                // The group names a site's IdP uses, mapped to one Portwatch role each: the role order
                // (RoleAugmentor) grants the roles below it.
                "portwatch.security.oidc-roles.\"portwatch-admins\"", "admin",
                "portwatch.security.oidc-roles.\"portwatch-viewers\"", "viewer",
                // Agents beside OIDC: their bearer values are no JWTs and must not meet the OIDC mechanism.
                "portwatch.ingest.token", "oidc-site-shared-token",
                "portwatch.ingest.allow-anonymous", "false");
    }

    static synchronized String publicKey() {
        ensureKeys();
        return System.getProperty(PUBLIC);
    }

    static synchronized PrivateKey privateKey() {
        ensureKeys();
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(PRIVATE))));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair the collector was not configured with: its tokens must be refused. */
    static KeyPair otherKeyPair() {
        return generate();
    }

    private static void ensureKeys() {
        if (System.getProperty(PUBLIC) == null) {
            KeyPair pair = generate();
            System.setProperty(PRIVATE, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            System.setProperty(PUBLIC, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
