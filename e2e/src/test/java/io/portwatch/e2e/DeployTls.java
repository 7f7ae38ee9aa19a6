package io.portwatch.e2e;

import io.portwatch.testpki.TestPki;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.config.SSLConfig;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The deploy tests run the apps as the secure defaults ship them: the collector on TLS only (a
 * certificate of a CA this test JVM generates, for 127.0.0.1), every API call with an admin key,
 * agents verifying the collector against that CA. Loading this class points rest-assured at
 * {@code https://127.0.0.1} with that CA and the key, for every collector call; agent endpoints
 * (plain HTTP) go through {@link #agentHttp(int)}.
 */
final class DeployTls {

    static final TestPki CA;
    static final TestPki.Issued SERVER;
    /** The admin key of every collector these tests start (PORTWATCH_SECURITY_ADMIN_KEY). */
    static final String ADMIN_KEY;
    /**
     * The shared ingest token in place of the placeholder of .env.example, which the collector
     * refuses (PORTWATCH_INGEST_TOKEN, and the agents' PORTWATCH_COLLECTOR_TOKEN).
     */
    static final String INGEST_TOKEN;

    static {
        try {
            Path dir = Files.createTempDirectory("portwatch-deploy-tls");
            CA = TestPki.create(dir, "deploy-ca");
            SERVER = CA.server("collector");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            ADMIN_KEY = "pwk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            new SecureRandom().nextBytes(random);
            INGEST_TOKEN = "e2e-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("deploy-ca", CA.caCertificate());
            RestAssured.baseURI = "https://127.0.0.1";
            RestAssured.config = RestAssured.config().sslConfig(SSLConfig.sslConfig().trustStore(trust));
            // As authentication, not a header: a test may send another key (auth().oauth2) or none (auth().none()).
            RestAssured.authentication = RestAssured.oauth2(ADMIN_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private DeployTls() {}

    /** Loads this class: rest-assured speaks https with the test CA and the admin key from here on. */
    static void install() {
        // the static initialiser did it
    }

    /**
     * What puts a collector on TLS at {@code httpsPort} with this JVM's certificate and admin key;
     * its plaintext port is refused, and given a free port so that it never meets another's.
     */
    static Map<String, String> collectorEnv(int httpsPort) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PORTWATCH_TLS_CERT", SERVER.certPem().toString());
        env.put("PORTWATCH_TLS_KEY", SERVER.keyPem().toString());
        env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(httpsPort));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(DeployStack.freePort()));
        env.put("PORTWATCH_SECURITY_ADMIN_KEY", ADMIN_KEY);
        return env;
    }

    /** A request to an agent's own HTTP port (health, metrics): plain HTTP, no key. */
    static RequestSpecification agentHttp(int port) {
        return new RequestSpecBuilder().setBaseUri("http://127.0.0.1").setPort(port).build();
    }
}
