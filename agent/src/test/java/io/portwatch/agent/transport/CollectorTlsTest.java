package io.portwatch.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.stub.StreamObserver;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.IngestGrpc;
import io.portwatch.testpki.TestPki;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The agent's Quarkus-configured "collector" client with portwatch.collector.tls.* set, against a
 * TLS collector on loopback whose certificate the test chooses: one of the trusted CA (and the
 * agent's client certificate reaches it), one of an unknown CA, an expired one.
 */
@QuarkusTest
@TestProfile(CollectorTlsTest.Tls.class)
class CollectorTlsTest {

    static final Path DIR;
    static final TestPki CA;
    static final TestPki UNKNOWN;
    static final int PORT;

    static {
        try {
            DIR = Files.createTempDirectory("portwatch-agent-tls");
            try (ServerSocket s = new ServerSocket(0)) {
                PORT = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CA = TestPki.create(DIR, "collector-ca");
        UNKNOWN = TestPki.create(DIR, "unknown-ca");
    }

    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            TestPki.Issued client = CA.clientWithUri("agent", "tls-agent");
            return Map.of("portwatch.collector.host", "127.0.0.1",
                    "portwatch.collector.port", String.valueOf(PORT),
                    "portwatch.collector.tls.ca", CA.caPem().toString(),
                    "portwatch.collector.tls.cert", client.certPem().toString(),
                    "portwatch.collector.tls.key", client.keyPem().toString(),
                    "portwatch.agent-id", "runtime-agent",
                    "portwatch.checks-dir", DIR.resolve("checks.d").toString(),
                    "portwatch.spool.dir", DIR.resolve("spool").toString());
        }
    }

    @GrpcClient("collector")
    Channel channel;

    private static FakeCollector collectorWith(TestPki.Issued server, boolean requireClientCert) {
        try {
            var ssl = GrpcSslContexts.forServer(server.certPem().toFile(), server.keyPem().toFile());
            if (requireClientCert) {
                ssl.trustManager(CA.caPem().toFile()).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE);
            }
            return new FakeCollector(PORT, ssl.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a stream and sends Hello; completes with the stream's error, or null once the collector saw the Hello. */
    private Throwable helloThrough(FakeCollector collector) throws Exception {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<AgentMessage> requests = IngestGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(CollectorMessage value) {}

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        requests.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId("tls-test")).build());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !ended.isDone()) {
            boolean seen = collector.sessions().stream().anyMatch(s -> s.messages().stream()
                    .anyMatch(m -> m.getHello().getAgentId().equals("tls-test")));
            if (seen) {
                requests.onCompleted();
                return null;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return ended.get(1, TimeUnit.SECONDS);
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" / ");
        }
        return b.toString();
    }

    @Test
    void aCollectorOfTheTrustedCaIsReachedWithTheClientCertificate() throws Exception {
        try (FakeCollector collector = collectorWith(CA.server("trusted"), true)) {
            assertEquals(null, helloThrough(collector), "the stream reached the collector over mTLS");
        }
    }

    @Test
    void aCollectorCertificateOfAnUnknownCaIsRefused() throws Exception {
        try (FakeCollector collector = collectorWith(UNKNOWN.server("impostor"), false)) {
            Throwable error = helloThrough(collector);
            StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, error);
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), causes(e));
            assertTrue(collector.sessions().stream().noneMatch(s -> !s.messages().isEmpty()
                    && s.messages().get(0).getHello().getAgentId().equals("tls-test")));
        }
    }

    @Test
    void anExpiredCollectorCertificateIsRefused() throws Exception {
        try (FakeCollector collector = collectorWith(CA.expiredServer("expired"), false)) {
            Throwable error = helloThrough(collector);
            StatusRuntimeException e = assertInstanceOf(StatusRuntimeException.class, error);
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), causes(e));
            assertTrue(collector.sessions().stream().noneMatch(s -> !s.messages().isEmpty()
                    && s.messages().get(0).getHello().getAgentId().equals("tls-test")));
        }
    }
}
