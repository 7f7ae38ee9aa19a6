package io.portwatch.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.portwatch.agent.config.CheckConfig;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.spool.Spool;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CollectorLink} against a real gRPC server on loopback ({@link FakeCollector}). Messages
 * are compared as short descriptions ("hello agent-1", "catalog v1", "batch 3") so a failure
 * shows the whole stream.
 */
class CollectorLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Hello HELLO = Hello.newBuilder()
            .setAgentId("agent-1").setHost("host-1").setVersion("test").putLabels("site", "lab").build();

    private static final CheckConfig V1 = config("v1", 80);
    private static final CheckConfig V2 = config("v2", 80, 443);

    private FakeCollector collector;
    private CollectorLink link;
    private final List<ManagedChannel> channels = new java.util.ArrayList<>();

    /** The collector settings, with short backoffs so that reconnects happen within a test. */
    record Settings(String host, int port, Optional<String> token, Duration flushInterval, int maxBatchSize,
            int maxInFlightBatches, Duration reconnectMinBackoff, Duration reconnectMaxBackoff,
            Duration heartbeatInterval) implements CollectorSettings {

        @Override
        public Tls tls() {
            return null; // the link gets its channel ready-made; TLS is the channel's business
        }

        static Settings to(int port) {
            return new Settings("127.0.0.1", port, Optional.empty(), Duration.ofMillis(100), 10, 100,
                    Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(200));
        }

        Settings withToken(String t) {
            return new Settings(host, port, Optional.of(t), flushInterval, maxBatchSize, maxInFlightBatches,
                    reconnectMinBackoff, reconnectMaxBackoff, heartbeatInterval);
        }

        Settings withHeartbeat(Duration d) {
            return new Settings(host, port, token, flushInterval, maxBatchSize, maxInFlightBatches,
                    reconnectMinBackoff, reconnectMaxBackoff, d);
        }

        Settings withMaxInFlight(int n) {
            return new Settings(host, port, token, flushInterval, maxBatchSize, n,
                    reconnectMinBackoff, reconnectMaxBackoff, heartbeatInterval);
        }
    }

    @BeforeEach
    void startCollector() {
        collector = new FakeCollector();
    }

    @AfterEach
    void stopAll() {
        if (link != null) {
            link.close();
        }
        channels.forEach(ManagedChannel::shutdownNow);
        collector.close();
    }

    /** A plaintext channel, as the agent's Quarkus gRPC client is without portwatch.collector.tls.ca. */
    private ManagedChannel channel(Settings settings) {
        ManagedChannel c = ManagedChannelBuilder.forAddress(settings.host(), settings.port()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    private CollectorLink link(Settings settings) {
        return link(settings, 1 << 20);
    }

    /** A link whose spool is memory only (the disk spool has its own tests), of {@code bytes} at most. */
    private CollectorLink link(Settings settings, long bytes) {
        link = new CollectorLink(settings, channel(settings), HELLO, CLOCK, Spool.open(Spool.Options.memoryOnly(bytes), CLOCK));
        return link;
    }

    @Test
    void sendsHelloThenCatalogThenBatchesInSeqOrder() {
        link(Settings.to(collector.port()));
        link.catalog(V1);
        link.submit(batch(1));
        link.submit(batch(2));
        link.start();
        awaitMessages(0, 4);
        link.submit(batch(3));

        awaitMessages(0, 5);
        assertEquals(List.of("hello agent-1", "catalog v1", "batch 1", "batch 2", "batch 3"), described(0));
        Hello hello = collector.session(0).messages().get(0).getHello();
        assertEquals(HELLO.getLabelsMap(), hello.getLabelsMap());
        assertEquals("host-1", hello.getHost());
        ResultBatch first = collector.session(0).messages().get(2).getBatch();
        assertEquals(batch(1), first, "a batch travels unchanged");
        assertTrue(link.connected());
    }

    /**
     * The listening inventory goes only to a collector whose Welcome accepts it (an older one would
     * refuse the unknown message and end the stream): after the Welcome, and whenever it changes.
     */
    @Test
    void sendsTheListeningInventoryOnlyAfterAWelcome() {
        link(Settings.to(collector.port()));
        link.catalog(V1);
        link.listening(listening(2));
        link.start();
        awaitMessages(0, 2);
        link.submit(batch(1));
        awaitMessages(0, 3);
        assertEquals(List.of("hello agent-1", "catalog v1", "batch 1"), described(0), "no Welcome: no inventory");

        collector.session(0).welcome();
        awaitMessages(0, 4);
        link.listening(listening(3));
        awaitMessages(0, 5);
        assertEquals(List.of("hello agent-1", "catalog v1", "batch 1", "listening 2", "listening 3"), described(0));

        collector.session(0).fail(); // the next stream's collector says nothing: nothing is sent on it
        awaitMessages(1, 2);
        link.submit(batch(2));
        awaitMessages(1, 4);
        assertEquals(List.of("hello agent-1", "catalog v1", "batch 1", "batch 2"), described(1));
    }

    private static io.portwatch.proto.v1.ListeningInventory listening(int sockets) {
        var b = io.portwatch.proto.v1.ListeningInventory.newBuilder().setObservedAtMs(NOW.toEpochMilli());
        for (int i = 0; i < sockets; i++) {
            b.addSockets(io.portwatch.proto.v1.ListeningSocket.newBuilder().setPort(8000 + i)
                    .setAddress(com.google.protobuf.ByteString.copyFrom(new byte[4])));
        }
        return b.build();
    }

    /**
     * On the Vert.x gRPC client, the agent's real one, with batches waiting when the stream opens
     * and acks arriving meanwhile: every stream starts with Hello, the catalog, then the batches in
     * order. A drain run on the client's event loop once overtook the queued Hello, and the
     * collector refused the stream at every agent start.
     */
    @Test
    void onTheVertxClientHelloStaysFirstWhenBatchesWaitAtConnect() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            int rounds = 5;
            int batches = 40;
            for (int round = 0; round < rounds; round++) {
                io.grpc.Channel vertxChannel = new io.vertx.grpcio.client.GrpcIoClientChannel(
                        io.vertx.grpcio.client.GrpcIoClient.client(vertx),
                        io.vertx.core.net.SocketAddress.inetSocketAddress(collector.port(), "127.0.0.1"));
                Settings settings = Settings.to(collector.port()).withMaxInFlight(4);
                link = new CollectorLink(settings, vertxChannel, HELLO, CLOCK,
                        Spool.open(Spool.Options.memoryOnly(1 << 20), CLOCK));
                link.catalog(V1);
                for (long seq = 1; seq <= batches; seq++) {
                    link.submit(batch(seq));
                }
                link.start();
                int session = round;
                for (long acked = 0; acked < batches; ) {
                    long expect = Math.min(batches, acked + 4);
                    awaitMessages(session, 2 + (int) expect);
                    acked = expect;
                    collector.session(session).ack(acked);
                }
                List<String> expected = new java.util.ArrayList<>(List.of("hello agent-1", "catalog v1"));
                for (long seq = 1; seq <= batches; seq++) {
                    expected.add("batch " + seq);
                }
                assertEquals(expected, described(session), "stream " + session);
                link.close();
            }
            assertEquals(rounds, collector.sessions().size(), "one stream per round: none was refused");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void batchesSpooledBeforeAKillAreSentFirstByTheNextRun(@TempDir Path dir) {
        Spool.Options onDisk = new Spool.Options(Optional.of(dir), "agent-1", 1 << 20, 1 << 20,
                io.portwatch.agent.spool.FsyncPolicy.BATCH, Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 20);
        link = new CollectorLink(Settings.to(collector.port()), channel(Settings.to(collector.port())), HELLO, CLOCK, Spool.open(onDisk, CLOCK));
        link.start();
        for (long seq = 1; seq <= 3; seq++) {
            link.submit(batch(seq));
        }
        awaitMessages(0, 4);
        collector.session(0).ack(1);
        await("ack 1 applied", () -> link.ackedUpTo() == 1);
        link.close(); // the spool is left as a killed agent leaves it: not closed

        link = new CollectorLink(Settings.to(collector.port()), channel(Settings.to(collector.port())), HELLO, CLOCK, Spool.open(onDisk, CLOCK));
        link.submit(batch(4));
        link.start();

        awaitMessages(1, 4);
        assertEquals(List.of("hello agent-1", "batch 2", "batch 3", "batch 4"), described(1));
        assertEquals(batch(3), collector.session(1).messages().get(2).getBatch(), "read back from disk unchanged");
    }

    @Test
    void atMostMaxInFlightBatchesWaitForTheirAckAndAnAckLetsTheNextOnesGo() throws InterruptedException {
        link(Settings.to(collector.port()).withMaxInFlight(3));
        link.start();
        for (long seq = 1; seq <= 7; seq++) {
            link.submit(batch(seq));
        }
        awaitMessages(0, 4);
        Thread.sleep(300); // nothing more may come while three wait
        assertEquals(List.of("hello agent-1", "batch 1", "batch 2", "batch 3"), described(0));

        collector.session(0).ack(2);
        awaitMessages(0, 6);
        Thread.sleep(300);
        assertEquals(List.of("hello agent-1", "batch 1", "batch 2", "batch 3", "batch 4", "batch 5"), described(0));

        collector.session(0).ack(5);
        awaitMessages(0, 8);
        await("ack 5 applied", () -> link.pendingBatches() == 2);
        assertEquals("batch 7", describe(collector.session(0).messages().get(7)));
    }

    @Test
    void catalogWhileConnectedIsSentAtOnce() {
        link(Settings.to(collector.port()));
        link.catalog(V1);
        link.start();
        awaitMessages(0, 2);

        link.catalog(V2);

        awaitMessages(0, 3);
        assertEquals(List.of("hello agent-1", "catalog v1", "catalog v2"), described(0));
        assertEquals(List.of("v2|127.0.0.1|tcp|80", "v2|127.0.0.1|tcp|443"),
                collector.session(0).messages().get(2).getCatalog().getInstancesList().stream()
                        .map(io.portwatch.proto.v1.CheckInstance::getKey).toList());
        assertEquals(1, collector.sessions().size(), "sent on the open stream, not by reconnecting");
    }

    @Test
    void cumulativeAckRemovesEveryBatchUpToItsSeq() {
        link(Settings.to(collector.port()));
        link.start();
        for (long seq = 1; seq <= 5; seq++) {
            link.submit(batch(seq));
        }
        awaitMessages(0, 6);
        assertEquals(5, link.pendingBatches());

        collector.session(0).ack(3);
        await("ack 3 applied", () -> link.ackedUpTo() == 3);
        assertEquals(2, link.pendingBatches());

        collector.session(0).ack(5);
        await("ack 5 applied", () -> link.ackedUpTo() == 5);
        assertEquals(0, link.pendingBatches());

        collector.session(0).ack(4);
        link.submit(batch(6));
        awaitMessages(0, 7);
        assertEquals(5, link.ackedUpTo(), "an older ack never moves the acked seq back");
        assertEquals(1, link.pendingBatches());
    }

    @Test
    void failedStreamReconnectsAndResendsTheUnackedBatchesInOrder() {
        link(Settings.to(collector.port()));
        link.catalog(V1);
        link.start();
        for (long seq = 1; seq <= 4; seq++) {
            link.submit(batch(seq));
        }
        awaitMessages(0, 6);
        collector.session(0).ack(2);
        await("ack 2 applied", () -> link.ackedUpTo() == 2);
        link.catalog(V2);
        awaitMessages(0, 7);

        collector.session(0).fail();

        awaitMessages(1, 4);
        assertEquals(List.of("hello agent-1", "catalog v2", "batch 3", "batch 4"), described(1));
        await("connected again", link::connected);
        link.submit(batch(5));
        awaitMessages(1, 5);
        assertEquals("batch 5", describe(collector.session(1).messages().get(4)));
        assertEquals(2, collector.sessions().size());
    }

    @Test
    void reconnectBackoffGrowsWhileNoStreamIsConfirmed() {
        link(Settings.to(collector.port()));
        link.start();
        awaitMessages(0, 1);

        // No ack ever confirms a stream, so the wait doubles: 50 ms, 100 ms, 200 ms, each jittered
        // down to half at most. Only lower bounds are asserted; upper bounds depend on the machine.
        long[] minGapsMs = {25, 50, 100};
        for (int i = 0; i < minGapsMs.length; i++) {
            long failedAt = System.nanoTime();
            collector.session(i).fail();
            awaitMessages(i + 1, 1);
            long gapMs = (System.nanoTime() - failedAt) / 1_000_000;
            assertTrue(gapMs >= minGapsMs[i], "reconnect " + (i + 1) + " after " + gapMs + " ms, expected >= "
                    + minGapsMs[i] + " ms");
        }
    }

    @Test
    void collectorRestartedOnTheSamePortGetsTheCurrentCatalogAndUnackedBatches() {
        link(Settings.to(collector.port()));
        link.catalog(V1);
        link.start();
        link.submit(batch(1));
        link.submit(batch(2));
        awaitMessages(0, 4);
        collector.session(0).ack(1);
        await("ack 1 applied", () -> link.ackedUpTo() == 1);

        collector.stop();
        await("link notices the collector is gone", () -> !link.connected());
        link.submit(batch(3));
        link.catalog(V2);
        assertEquals(2, link.pendingBatches());
        collector.restart();

        awaitMessages(1, 4);
        assertEquals(List.of("hello agent-1", "catalog v2", "batch 2", "batch 3"), described(1));
    }

    @Test
    void linkBackoffNotGrpcsPacesConnectAttemptsDuringALongOutage() throws IOException {
        link(Settings.to(collector.port()));
        link.start();
        awaitMessages(0, 1);
        collector.stop();

        // A dead collector: the port accepts TCP connections and closes them at once, so each gRPC
        // connect attempt can be counted. gRPC's own connect backoff (1 s, 1.6 s, 2.6 s, 4.1 s, 6.6 s …
        // up to 2 min) would need ~16 s for 6 attempts; the link's (at most 500 ms here) much less.
        try (DeadCollector dead = new DeadCollector(collector.port())) {
            await("6 connect attempts while the collector is down", () -> dead.attempts() >= 6);
        }
        collector.restart();

        awaitMessages(1, 1);
        assertEquals(List.of("hello agent-1"), described(1));
    }

    @Test
    void helloCarriesTheHighestSeqSubmitted() {
        link(Settings.to(collector.port()));
        link.submit(batch(7));
        link.submit(batch(8));
        link.start();
        awaitMessages(0, 3);
        assertEquals(8, collector.session(0).messages().get(0).getHello().getLastSeq(),
                "batches submitted before the first connect have seqs already");

        collector.session(0).ack(7);
        await("ack 7 applied", () -> link.ackedUpTo() == 7);
        collector.session(0).fail();

        awaitMessages(1, 2);
        assertEquals(List.of("hello agent-1", "batch 8"), described(1));
        assertEquals(8, collector.session(1).messages().get(0).getHello().getLastSeq(),
                "an unacked batch was assigned its seq too");
    }

    @Test
    void sendsTheTokenAsBearerAuthorization() {
        link(Settings.to(collector.port()).withToken("s3cret-token"));
        link.start();
        awaitMessages(0, 1);

        assertEquals("Bearer s3cret-token", collector.session(0).authorization);
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() {
        link(Settings.to(collector.port()));
        link.start();
        awaitMessages(0, 1);

        assertNull(collector.session(0).authorization);
    }

    @Test
    void fullPendingQueueDropsTheOldestBatchesAndCountsThem() {
        link(Settings.to(collector.port()), 3L * batch(1).getSerializedSize());
        for (long seq = 1; seq <= 5; seq++) {
            link.submit(batch(seq));
        }
        assertEquals(3, link.pendingBatches());
        assertEquals(2, link.droppedBatches());

        link.start();

        awaitMessages(0, 4);
        assertEquals(List.of("hello agent-1", "batch 3", "batch 4", "batch 5"), described(0));
        collector.session(0).ack(5);
        await("ack 5 applied", () -> link.pendingBatches() == 0);
        assertEquals(2, link.droppedBatches(), "acked batches are not counted as dropped");
    }

    @Test
    void heartbeatIfIdleSendsAHeartbeatOnceNothingWasSentForTheInterval() {
        link(Settings.to(collector.port()).withHeartbeat(Duration.ofMillis(200)));
        link.start();
        awaitMessages(0, 1);

        await("a heartbeat once idle", () -> {
            link.heartbeatIfIdle();
            return collector.session(0).messages().size() >= 2;
        });

        AgentMessage heartbeat = collector.session(0).messages().get(1);
        assertEquals("heartbeat", describe(heartbeat));
        assertEquals(NOW.toEpochMilli(), heartbeat.getHeartbeat().getSentAtMs());
    }

    @Test
    void heartbeatIfIdleSendsNothingWhileNotIdleOrNotConnected() {
        link(Settings.to(collector.port()).withHeartbeat(Duration.ofHours(1)));
        link.heartbeatIfIdle();
        assertFalse(link.connected());
        link.start();
        awaitMessages(0, 1);

        link.heartbeatIfIdle();
        link.submit(batch(1));

        // The batch arrives after anything sent before it on the same stream.
        awaitMessages(0, 2);
        assertEquals(List.of("hello agent-1", "batch 1"), described(0));
    }

    // ---------------------------------------------------------------------------------------------

    private static CheckConfig config(String name, int... ports) {
        List<CheckInstance> instances = java.util.Arrays.stream(ports)
                .mapToObj(port -> new CheckInstance(name, "127.0.0.1", Protocol.TCP, port, Expectation.OPEN,
                        Duration.ofSeconds(30), Duration.ofSeconds(2), Map.of("team", "web")))
                .toList();
        return new CheckConfig(instances, name, 1, 1);
    }

    private static ResultBatch batch(long seq) {
        return ResultBatch.newBuilder()
                .setSeq(seq)
                .addResults(ProbeResult.newBuilder()
                        .setInstanceKey("web|127.0.0.1|tcp|80")
                        .setState(PortState.OPEN)
                        .setObservedAtMs(NOW.toEpochMilli()))
                .build();
    }

    private void awaitMessages(int session, int count) {
        await("stream " + session + " to carry " + count + " messages", () -> {
            List<FakeCollector.Session> sessions = collector.sessions();
            return sessions.size() > session && sessions.get(session).messages().size() >= count;
        });
    }

    private List<String> described(int session) {
        return collector.session(session).messages().stream().map(CollectorLinkTest::describe).toList();
    }

    static String describe(AgentMessage m) {
        return switch (m.getBodyCase()) {
            case HELLO -> "hello " + m.getHello().getAgentId();
            case CATALOG -> "catalog " + m.getCatalog().getConfigHash();
            case BATCH -> "batch " + m.getBatch().getSeq();
            case HEARTBEAT -> "heartbeat";
            case LISTENING -> "listening " + m.getListening().getSocketsCount();
            case BODY_NOT_SET -> "empty";
        };
    }

    /** Polls until the condition holds; fails after {@link #WAIT}. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT.toSeconds() + " s: " + what + "; the collector saw "
                        + collector.sessions().stream().map(s -> s.messages().stream()
                                .map(CollectorLinkTest::describe).toList()).toList());
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
