package io.portwatch.agent.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.config.ConfigLoad;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets.TalkingServer;
import io.portwatch.testpki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health follows everything a check declared (issue 16 part 4): a check file's banner, TLS and
 * tls_min_days, probed through the runner against servers the test runs on loopback. The state
 * stays the socket's fact, OPEN; the reason says what the service failed, and the expectation
 * (Expectation.health, the rule the collector applies too) makes it unhealthy.
 */
class DeclaredHealthTest {

    private static final char[] PASSWORD = "portwatch-test".toCharArray();

    @TempDir
    static Path dir;
    private static TestPki pki;
    /** Expires in 5 days: inside tls_min_days 30, outside tls_min_days 1. */
    private static TestPki.Issued nearExpiry;
    private static ProbeEngine engine;
    private static ExecutorService resolver;
    private static ProbeRunner runner;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir.resolve("pki"), "probe-ca");
        nearExpiry = pki.serverValidUntil("near-expiry", Instant.now().plus(Duration.ofDays(5)));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", pki.caCertificate());
        // As an operator's portwatch.probe.tls-trust-store would: the test CA and nothing else.
        engine = new ProbeEngine(ProbeLimits.DEFAULTS, TlsTrust.trusting(trusted), ForkJoinPool.commonPool());
        resolver = Executors.newSingleThreadExecutor();
        runner = new ProbeRunner(engine, resolver, Clock.systemUTC(),
                new DnsCache(HostResolver.SYSTEM, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (resolver != null) {
            resolver.shutdownNow();
        }
    }

    private static SSLContext serverContext(TestPki.Issued issued) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", issued.key(), PASSWORD,
                new Certificate[] {issued.certificate(), pki.caCertificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    /** The one instance of a check file holding {@code check} (a YAML mapping's lines). */
    private static CheckInstance load(String name, String check) throws Exception {
        Path checks = Files.createDirectories(dir.resolve("checks-" + name));
        Files.writeString(checks.resolve("c.yaml"), "checks:\n  - name: " + name + "\n    targets: [127.0.0.1]\n"
                + "    timeout: 1s\n" + check.indent(4));
        ConfigLoad load = new CheckDirectoryLoader().load(checks);
        assertTrue(load instanceof ConfigLoad.Loaded, load::toString);
        List<CheckInstance> instances = ((ConfigLoad.Loaded) load).config().instances();
        assertEquals(1, instances.size());
        return instances.get(0);
    }

    private static ProbeResult run(CheckInstance check) throws Exception {
        return runner.run(check).get(10, TimeUnit.SECONDS);
    }

    private static boolean healthy(CheckInstance check, ProbeResult result) {
        return check.expect().health(result.state(), result.reason().id()) == Health.HEALTHY;
    }

    @Test
    void aBannerOtherThanTheExpectedOneIsOpenButUnhealthy() throws Exception {
        try (TalkingServer ssh = new TalkingServer(ServerSocketFactory.getDefault(), false,
                line -> "SSH-2.0-OpenSSH_9.6\r\n".getBytes(US_ASCII))) {
            CheckInstance check = load("smtp", "tcp: [" + ssh.address().getPort() + "]\nexpect_banner: \"^220 \"");

            ProbeResult result = run(check);

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.BANNER_MISMATCH, result.reason(), result.toString());
            assertFalse(healthy(check, result));
        }
    }

    @Test
    void tlsAgainstAPlainServerIsOpenButUnhealthy() throws Exception {
        try (TalkingServer http = new TalkingServer(ServerSocketFactory.getDefault(), false,
                line -> "HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(US_ASCII))) {
            CheckInstance check = load("https", "tcp: [" + http.address().getPort() + "]\ntls: true");

            ProbeResult result = run(check);

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.TLS_FAILED, result.reason(), result.toString());
            assertFalse(healthy(check, result));
        }
    }

    @Test
    void aCertificateExpiringWithinTlsMinDaysIsOpenButUnhealthyWithTheDate() throws Exception {
        try (TalkingServer tls = new TalkingServer(serverContext(nearExpiry).getServerSocketFactory(), false,
                line -> "* OK IMAP ready\r\n".getBytes(US_ASCII))) {
            int port = tls.address().getPort();
            CheckInstance month = load("month", "tcp: [" + port + "]\ntls: true\ntls_min_days: 30");
            CheckInstance day = load("day", "tcp: [" + port + "]\ntls: true\ntls_min_days: 1");
            CheckInstance any = load("any", "tcp: [" + port + "]\ntls: true");

            ProbeResult inside = run(month);
            ProbeResult outside = run(day);
            ProbeResult unchecked = run(any);

            assertEquals(PortState.OPEN, inside.state(), inside.toString());
            assertEquals(ProbeReason.CERT_EXPIRING, inside.reason(), inside.toString());
            Instant notAfter = nearExpiry.certificate().getNotAfter().toInstant();
            assertTrue(inside.detail().endsWith("certificate of CN=localhost expires " + notAfter
                    + ", within tls_min_days 30"), inside.detail());
            assertFalse(healthy(month, inside));

            assertEquals(ProbeReason.CONNECTED, outside.reason(), outside.toString());
            assertTrue(healthy(day, outside));
            assertEquals(ProbeReason.CONNECTED, unchecked.reason(), unchecked.toString());
            assertTrue(healthy(any, unchecked));
        }
    }
}
