package io.portwatch.collector.security;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.testpki.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The collector with portwatch.tls.cert/key and client-ca set, against real TLS handshakes on
 * loopback with certificates generated before Quarkus starts (see {@link Tls}).
 */
@QuarkusTest
@TestProfile(TransportTlsTest.Tls.class)
class TransportTlsTest {

    static final Path DIR;
    static final TestPki CA;
    static final TestPki STRANGER;

    static {
        try {
            DIR = Files.createTempDirectory("portwatch-tls-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CA = TestPki.create(DIR, "portwatch-test");
        STRANGER = TestPki.create(DIR, "stranger");
    }

    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestPki.Issued server = CA.server("collector");
            return Map.of("portwatch.tls.cert", server.certPem().toString(),
                    "portwatch.tls.key", server.keyPem().toString(),
                    "portwatch.tls.client-ca", CA.caPem().toString(),
                    "portwatch.ingest.allow-anonymous", "false");
        }
    }

    private static int tlsPort() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
    }

    private static ManagedChannel channel(Consumer<SslContextBuilder> client) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(CA.caPem().toFile());
            client.accept(ssl);
            return NettyChannelBuilder.forAddress("localhost", tlsPort()).sslContext(ssl.build()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ManagedChannel withClientCert(TestPki.Issued cert) {
        return channel(ssl -> ssl.keyManager(cert.certPem().toFile(), cert.keyPem().toFile()));
    }

    private static StatusRuntimeException ended(AgentStreamClient client) throws Exception {
        return assertInstanceOf(StatusRuntimeException.class, client.ended.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aClientCertificateSendsAsItsAgent() throws Exception {
        ManagedChannel channel = withClientCert(CA.clientWithUri("edge-uri", "edge-uri"));
        try (AgentStreamClient client = new AgentStreamClient(channel)) {
            client.send(hello("edge-uri")).send(batch(1, List.of()));
            assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientCertificateForAnotherAgentIsRefused() throws Exception {
        ManagedChannel channel = withClientCert(CA.clientWithCn("edge-a", "a"));
        try (AgentStreamClient client = new AgentStreamClient(channel)) {
            client.send(hello("b"));
            StatusRuntimeException e = ended(client);
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertEquals("agent id 'b' in Hello does not match 'a' bound to this client certificate",
                    e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStreamWithoutClientCertificateIsRefused() throws Exception {
        ManagedChannel channel = channel(ssl -> {});
        try (AgentStreamClient client = new AgentStreamClient(channel)) {
            client.send(hello("edge-none"));
            StatusRuntimeException e = ended(client);
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("this collector requires a client certificate"),
                    e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsNotAccepted() throws Exception {
        ManagedChannel channel = withClientCert(STRANGER.clientWithCn("edge-stranger", "edge-stranger"));
        try (AgentStreamClient client = new AgentStreamClient(channel)) {
            client.send(hello("edge-stranger"));
            StatusRuntimeException e = ended(client);
            // The server's certificate request names the client CA, so the TLS client withholds a
            // certificate of another CA (one sent anyway would fail the handshake): no credential.
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.toString());
            assertTrue(e.getStatus().getDescription().startsWith("this collector requires a client certificate"));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlaintextClientIsRefused() throws Exception {
        ManagedChannel plaintext = NettyChannelBuilder.forAddress("localhost", tlsPort()).usePlaintext().build();
        try (AgentStreamClient client = new AgentStreamClient(plaintext)) {
            client.send(hello("edge-plain"));
            StatusRuntimeException e = ended(client);
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        } finally {
            plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // And no plaintext port listens: quarkus.http.insecure-requests=disabled follows from portwatch.tls.*.
        assertEquals("disabled", ConfigProvider.getConfig().getValue("quarkus.http.insecure-requests", String.class));
        assertEquals("portwatch", ConfigProvider.getConfig().getValue("quarkus.http.tls-configuration-name", String.class));
    }

    @Test
    void restClientsNeedNoCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + tlsPort() + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
