package io.portwatch.agent.probe;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.UdpResponder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UdpProbeTest {

    private static final byte[] PING = "portwatch-ping".getBytes(US_ASCII);
    /** Accepts only an exact echo of what was sent. */
    private static final ReplyValidator ECHO = (sent, reply) -> {
        byte[] got = new byte[reply.remaining()];
        reply.get(got);
        return Arrays.equals(sent, got);
    };

    private ProbeEngine engine;

    @BeforeEach
    void start() {
        engine = new ProbeEngine(8);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private ProbeResult probe(InetSocketAddress target, Duration timeout, ReplyValidator validator)
            throws Exception {
        return engine.probe(ProbeRequest.udp(target, timeout, PING), validator).get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoReplyIsOpen() throws Exception {
        try (UdpResponder echo = UdpResponder.echo(LoopbackTargets.v4())) {
            Instant before = Instant.now();
            ProbeResult result = probe(echo.address(), Duration.ofSeconds(2), ReplyValidator.ANY);

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.REPLY, result.reason());
            assertEquals(echo.address(), result.address());
            assertTrue(result.latency().toMillis() < 2_000, result.latency().toString());
            assertFalse(result.startedAt().isBefore(before));
            assertTrue(result.detail().contains(PING.length + " byte"), result.detail());
        }
    }

    @Test
    void ipv6EchoIsOpenAndClosedPortIsClosed() throws Exception {
        InetAddress v6 = LoopbackTargets.v6OrSkip();
        try (UdpResponder echo = UdpResponder.echo(v6)) {
            ProbeResult open = probe(echo.address(), Duration.ofSeconds(2), ECHO);
            assertEquals(PortState.OPEN, open.state(), open.toString());
            assertEquals(ProbeReason.REPLY, open.reason());
        }
        ProbeResult closed = probe(LoopbackTargets.closedUdpPort(v6), Duration.ofSeconds(2), ECHO);
        assertEquals(PortState.CLOSED, closed.state(), closed.toString());
        assertEquals(ProbeReason.PORT_UNREACHABLE, closed.reason());
    }

    @Test
    void closedPortIsClosedByPortUnreachable() throws Exception {
        InetSocketAddress closed = LoopbackTargets.closedUdpPort(LoopbackTargets.v4());
        ProbeResult result = probe(closed, Duration.ofSeconds(2), ReplyValidator.ANY);

        assertEquals(PortState.CLOSED, result.state(), result.toString());
        assertEquals(ProbeReason.PORT_UNREACHABLE, result.reason());
        assertEquals(closed, result.address());
        assertTrue(result.latency().toMillis() < 2_000, result.latency().toString());
    }

    @Test
    void silenceIsOpenFilteredAfterTheTimeoutWithThreeSends() throws Exception {
        try (UdpResponder silent = UdpResponder.silent(LoopbackTargets.v4())) {
            long t0 = System.nanoTime();
            CompletableFuture<ProbeResult> future =
                    engine.probe(ProbeRequest.udp(silent.address(), Duration.ofMillis(300), PING));
            ProbeResult result = future.get(5, TimeUnit.SECONDS); // no hang
            long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;

            assertEquals(PortState.OPEN_FILTERED, result.state(), result.toString());
            assertEquals(ProbeReason.NO_REPLY, result.reason());
            assertTrue(result.latency().toMillis() >= 300, result.latency().toString());
            assertTrue(result.latency().toMillis() < 1_500, result.latency().toString());
            assertTrue(elapsedMillis < 3_000, elapsedMillis + " ms");
            assertTrue(result.detail().contains("3 datagram(s) sent"), result.detail());
            assertEquals(3, silent.received.get(), "initial send plus two retransmits");
        }
    }

    @Test
    void onlyInvalidRepliesIsOpenFilteredNotOpen() throws Exception {
        byte[] junk = "junk".getBytes(US_ASCII);
        try (UdpResponder liar = new UdpResponder(LoopbackTargets.v4(), (i, data) -> junk)) {
            ProbeResult result = probe(liar.address(), Duration.ofMillis(300), ECHO);

            assertEquals(PortState.OPEN_FILTERED, result.state(), result.toString());
            assertEquals(ProbeReason.INVALID_REPLY, result.reason());
            assertTrue(result.detail().endsWith("did not validate"), result.detail());
            assertTrue(result.latency().toMillis() >= 300, "listened until the deadline");
        }
    }

    @Test
    void invalidReplyKeepsListeningUntilAValidOne() throws Exception {
        byte[] junk = "junk".getBytes(US_ASCII);
        // Junk for the first datagram, a proper echo for the retransmit at timeout/3.
        try (UdpResponder late = new UdpResponder(LoopbackTargets.v4(), (i, data) -> i == 0 ? junk : data)) {
            ProbeResult result = probe(late.address(), Duration.ofMillis(600), ECHO);

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.REPLY, result.reason());
            assertTrue(result.latency().toMillis() >= 200, "answered the retransmit: " + result.latency());
            assertTrue(result.detail().contains("after 1 reply"), result.detail());
        }
    }

    @Test
    void emptyReplyCountsAsAReply() throws Exception {
        try (UdpResponder empty = new UdpResponder(LoopbackTargets.v4(), (i, data) -> new byte[0])) {
            ProbeResult result = probe(empty.address(), Duration.ofSeconds(2), ReplyValidator.ANY);

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertTrue(result.detail().startsWith("0 byte"), result.detail());
        }
    }

    @Test
    void failingValidatorIsALocalErrorNotAnExceptionalFuture() throws Exception {
        ReplyValidator broken = (sent, reply) -> {
            throw new IllegalStateException("validator bug");
        };
        try (UdpResponder echo = UdpResponder.echo(LoopbackTargets.v4())) {
            ProbeResult result = probe(echo.address(), Duration.ofSeconds(2), broken);

            assertEquals(PortState.ERROR, result.state(), result.toString());
            assertEquals(ProbeReason.LOCAL_ERROR, result.reason());
            assertEquals("validator bug", result.detail());
        }
    }

    @Test
    void validatorSeesTheSentPayloadAndAReadOnlyReply() throws Exception {
        boolean[] seen = new boolean[2];
        ReplyValidator spy = (sent, reply) -> {
            seen[0] = Arrays.equals(PING, sent);
            seen[1] = reply.isReadOnly() && reply.remaining() == PING.length;
            return true;
        };
        try (UdpResponder echo = UdpResponder.echo(LoopbackTargets.v4())) {
            ProbeResult result = probe(echo.address(), Duration.ofSeconds(2), spy);
            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertTrue(seen[0] && seen[1], Arrays.toString(seen));
        }
    }
}
