package io.portwatch.agent.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.TalkingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TCP beyond the connect: banners, send/expect and TLS, against servers the test runs. */
class TcpExchangeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final ServerSocketFactory PLAIN = ServerSocketFactory.getDefault();

    @TempDir
    static Path dir;
    private static TestCertificate certificate;
    /** Trusts the test certificate, as an operator's configured trust store would. */
    private static ProbeEngine trusting;
    /** The JVM's default trust store, which has never heard of the test certificate. */
    private static ProbeEngine defaults;

    @BeforeAll
    static void start() throws Exception {
        certificate = TestCertificate.create(dir);
        trusting = new ProbeEngine(ProbeLimits.DEFAULTS, certificate.trustingClientContext(), ForkJoinPool.commonPool());
        defaults = new ProbeEngine(ProbeLimits.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        if (trusting != null) {
            trusting.close();
        }
        if (defaults != null) {
            defaults.close();
        }
    }

    private static ProbeResult probe(ProbeEngine engine, ProbeRequest request) throws Exception {
        return engine.probe(request).get(10, TimeUnit.SECONDS);
    }

    private static TalkingServer banner(ServerSocketFactory factory, String banner) throws Exception {
        return new TalkingServer(factory, false, line -> banner.getBytes(US_ASCII));
    }

    @Test
    void matchingBannerIsOpenConnectedWithTheBanner() throws Exception {
        try (TalkingServer smtp = banner(PLAIN, "220 mail.test ESMTP ready\r\n")) {
            ProbeResult result = probe(trusting, ProbeRequest.tcp(smtp.address(), TIMEOUT)
                    .withExpectBanner(Pattern.compile("^220 ")));

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.CONNECTED, result.reason());
            assertEquals("banner \"220 mail.test ESMTP ready\\r\\n\"", result.detail());
        }
    }

    @Test
    void otherBannerIsOpenWithBannerMismatchAndTheEscapedBytes() throws Exception {
        try (TalkingServer ssh = banner(PLAIN, "SSH-2.0-OpenSSH_9.6\r\n\u0001")) {
            long t0 = System.nanoTime();
            ProbeResult result = probe(trusting, ProbeRequest.tcp(ssh.address(), Duration.ofMillis(500))
                    .withExpectBanner(Pattern.compile("^220 ")));

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.BANNER_MISMATCH, result.reason());
            assertEquals("no match within 500 ms in 22 bytes: \"SSH-2.0-OpenSSH_9.6\\r\\n\\x01\"", result.detail());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(500), "waited for more bytes");
        }
    }

    @Test
    void silentServerIsABannerMismatchAtTheDeadline() throws Exception {
        try (TalkingServer silent = new TalkingServer(PLAIN, true, line -> new byte[0])) {
            ProbeResult result = probe(trusting, ProbeRequest.tcp(silent.address(), Duration.ofMillis(300))
                    .withExpectBanner(Pattern.compile("^220 ")));

            assertEquals(ProbeReason.BANNER_MISMATCH, result.reason(), result.toString());
            assertEquals("no banner within 300 ms", result.detail());
        }
    }

    @Test
    void sendThenExpectTheAnswer() throws Exception {
        try (TalkingServer http = new TalkingServer(PLAIN, true, line -> line.equals("GET /health HTTP/1.0")
                ? "HTTP/1.0 200 OK\r\n\r\n".getBytes(US_ASCII) : "HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(US_ASCII))) {
            Pattern healthy = Pattern.compile("^HTTP/1\\.[01] 200 ");
            ProbeResult ok = probe(trusting, ProbeRequest.tcp(http.address(), TIMEOUT)
                    .withPayload("GET /health HTTP/1.0\r\n\r\n".getBytes(US_ASCII)).withExpectBanner(healthy));
            ProbeResult bad = probe(trusting, ProbeRequest.tcp(http.address(), Duration.ofMillis(300))
                    .withPayload("GET /nope HTTP/1.0\r\n\r\n".getBytes(US_ASCII)).withExpectBanner(healthy));

            assertEquals(ProbeReason.CONNECTED, ok.reason(), ok.toString());
            assertEquals("banner \"HTTP/1.0 200 OK\\r\\n\\r\\n\"", ok.detail());
            assertEquals(PortState.OPEN, bad.state(), bad.toString());
            assertEquals(ProbeReason.BANNER_MISMATCH, bad.reason());
            assertEquals("no match within 300 ms in 28 bytes: \"HTTP/1.0 400 Bad Request\\r\\n\\r\\n\"", bad.detail());
        }
    }

    @Test
    void sendWithoutExpectIsConnectedOnceWritten() throws Exception {
        try (TalkingServer server = new TalkingServer(PLAIN, true, line -> new byte[0])) {
            ProbeResult result = probe(trusting, ProbeRequest.tcp(server.address(), TIMEOUT)
                    .withPayload("QUIT\r\n".getBytes(US_ASCII)));

            assertEquals(ProbeReason.CONNECTED, result.reason(), result.toString());
            assertEquals("sent 6 bytes", result.detail());
        }
    }

    @Test
    void tlsHandshakeWithATrustedCertificateIsOpenConnected() throws Exception {
        try (TalkingServer tls = banner(certificate.serverContext().getServerSocketFactory(), "* OK IMAP ready\r\n")) {
            ProbeResult byIp = probe(trusting, ProbeRequest.tcp(tls.address(), TIMEOUT).withTls(null));
            ProbeResult byName = probe(trusting, ProbeRequest.tcp(tls.address(), TIMEOUT).withTls("localhost")
                    .withExpectBanner(Pattern.compile("^\\* OK")));

            assertEquals(PortState.OPEN, byIp.state(), byIp.toString());
            assertEquals(ProbeReason.CONNECTED, byIp.reason(), byIp.toString());
            assertTrue(byIp.detail().startsWith("TLSv1.3 TLS_"), byIp.detail());
            assertEquals(ProbeReason.CONNECTED, byName.reason(), byName.toString());
            assertTrue(byName.detail().endsWith("; banner \"* OK IMAP ready\\r\\n\""), byName.detail());
        }
    }

    /** No silent trust-all: the JVM's default trust store does not know a self-signed certificate. */
    @Test
    void untrustedCertificateIsTlsFailedWithTheReason() throws Exception {
        try (TalkingServer tls = banner(certificate.serverContext().getServerSocketFactory(), "hello\r\n")) {
            ProbeResult result = probe(defaults, ProbeRequest.tcp(tls.address(), TIMEOUT).withTls("localhost"));

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.TLS_FAILED, result.reason());
            assertEquals("certificate rejected: unable to find valid certification path to requested target",
                    result.detail());
        }
    }

    @Test
    void certificateForAnotherNameIsTlsFailed() throws Exception {
        try (TalkingServer tls = banner(certificate.serverContext().getServerSocketFactory(), "hello\r\n")) {
            ProbeResult result = probe(trusting, ProbeRequest.tcp(tls.address(), TIMEOUT).withTls("www.example.com"));

            assertEquals(ProbeReason.TLS_FAILED, result.reason(), result.toString());
            assertTrue(result.detail().startsWith("certificate rejected: ")
                    && result.detail().contains("www.example.com"), result.detail());
        }
    }

    @Test
    void plainTcpServiceIsTlsFailed() throws Exception {
        try (TalkingServer ssh = banner(PLAIN, "SSH-2.0-OpenSSH_9.6\r\n");
                LoopbackTargets.TcpListener closer = new LoopbackTargets.TcpListener(LoopbackTargets.v4())) {
            ProbeResult talker = probe(trusting, ProbeRequest.tcp(ssh.address(), TIMEOUT).withTls(null));
            ProbeResult hangUp = probe(trusting, ProbeRequest.tcp(closer.address(), TIMEOUT).withTls(null));

            assertEquals(PortState.OPEN, talker.state(), talker.toString());
            assertEquals(ProbeReason.TLS_FAILED, talker.reason());
            assertTrue(talker.detail().startsWith("TLS handshake failed: "), talker.detail());
            assertEquals(PortState.OPEN, hangUp.state(), hangUp.toString());
            assertEquals(ProbeReason.TLS_FAILED, hangUp.reason());
        }
    }

    @Test
    void closedPortWithTlsIsStillClosed() throws Exception {
        try (LoopbackTargets.ClosedTcpPort closed = new LoopbackTargets.ClosedTcpPort(LoopbackTargets.v4())) {
            ProbeResult result = probe(trusting, ProbeRequest.tcp(closed.address(), TIMEOUT).withTls(null)
                    .withExpectBanner(Pattern.compile("x")));

            assertEquals(PortState.CLOSED, result.state(), result.toString());
            assertEquals(ProbeReason.REFUSED, result.reason());
        }
    }

    @Test
    void defaultTlsContextIsTheJvmDefault() throws Exception {
        assertEquals(SSLContext.getDefault(), ProbeEngine.defaultTls());
    }

    /** The agent's default: the JVM's context made on first use, with the same trust decisions. */
    @Test
    void deferredDefaultContextIsMadeOnFirstUseAndJudgesAsTheJvmDefault() throws Exception {
        SSLContext deferred = TlsTrust.jvmDefaultOnFirstUse();
        assertFalse(TlsTrust.resolved(deferred), "made before any TLS probe");
        try (ProbeEngine engine = new ProbeEngine(ProbeLimits.DEFAULTS, deferred, ForkJoinPool.commonPool());
                TalkingServer tls = banner(certificate.serverContext().getServerSocketFactory(), "hello\r\n")) {
            ProbeResult plain = probe(engine, ProbeRequest.tcp(tls.address(), TIMEOUT));
            assertEquals(ProbeReason.CONNECTED, plain.reason(), plain.toString());
            assertFalse(TlsTrust.resolved(deferred), "made by a plain connect");

            ProbeResult result = probe(engine, ProbeRequest.tcp(tls.address(), TIMEOUT).withTls("localhost"));
            assertTrue(TlsTrust.resolved(deferred));
            assertEquals(ProbeReason.TLS_FAILED, result.reason(), result.toString());
            assertEquals("certificate rejected: unable to find valid certification path to requested target",
                    result.detail());
        }
        assertEquals(SSLContext.getDefault().getDefaultSSLParameters().getProtocols().length,
                deferred.getDefaultSSLParameters().getProtocols().length);
        assertThrows(java.security.KeyManagementException.class, () -> deferred.init(null, null, null));
    }
}
