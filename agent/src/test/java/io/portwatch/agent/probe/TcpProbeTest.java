package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.ClosedTcpPort;
import io.portwatch.core.testing.LoopbackTargets.TcpListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private ProbeEngine engine;

    @BeforeEach
    void start() {
        engine = new ProbeEngine(8);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private ProbeResult probe(InetSocketAddress target, Duration timeout) throws Exception {
        return engine.probe(ProbeRequest.tcp(target, timeout)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void listeningPortIsOpenWithAddressLatencyAndStartTime() throws Exception {
        try (TcpListener listener = new TcpListener(LoopbackTargets.v4())) {
            Instant before = Instant.now();
            ProbeResult result = probe(listener.address(), TIMEOUT);
            Instant after = Instant.now();

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.CONNECTED, result.reason());
            assertEquals(listener.address(), result.address());
            assertEquals("127.0.0.1", result.addressText());
            assertFalse(result.latency().isNegative());
            assertTrue(result.latency().compareTo(TIMEOUT) < 0, result.latency().toString());
            assertFalse(result.startedAt().isBefore(before));
            assertFalse(result.startedAt().isAfter(after));
        }
    }

    @Test
    void boundButNotListeningPortIsClosed() throws Exception {
        try (ClosedTcpPort closed = new ClosedTcpPort(LoopbackTargets.v4())) {
            ProbeResult result = probe(closed.address(), TIMEOUT);

            assertEquals(PortState.CLOSED, result.state(), result.toString());
            assertEquals(ProbeReason.REFUSED, result.reason());
            assertEquals(closed.address(), result.address());
            assertTrue(result.latency().compareTo(TIMEOUT) < 0, result.latency().toString());
        }
    }

    @Test
    void ipv6OpenAndClosed() throws Exception {
        InetAddress v6 = LoopbackTargets.v6OrSkip();
        try (TcpListener listener = new TcpListener(v6); ClosedTcpPort closed = new ClosedTcpPort(v6)) {
            ProbeResult open = probe(listener.address(), TIMEOUT);
            ProbeResult refused = probe(closed.address(), TIMEOUT);

            assertEquals(PortState.OPEN, open.state(), open.toString());
            assertEquals(ProbeReason.CONNECTED, open.reason());
            assertEquals("0:0:0:0:0:0:0:1", open.addressText());
            assertEquals(PortState.CLOSED, refused.state(), refused.toString());
            assertEquals(ProbeReason.REFUSED, refused.reason());
        }
    }

    /** The close strategy: SO_LINGER 0 resets the connection, so no TIME_WAIT is left behind. */
    @Test
    void probeResetsTheConnectionInsteadOfClosingIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, LoopbackTargets.v4())) {
            server.setSoTimeout(5_000);
            ProbeResult result = probe((InetSocketAddress) server.getLocalSocketAddress(), TIMEOUT);
            assertEquals(PortState.OPEN, result.state(), result.toString());

            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(5_000);
                // A normal close would read as end of stream (-1); a reset fails the read.
                SocketException e = assertThrows(SocketException.class, () -> accepted.getInputStream().read());
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
            }
        }
    }

    /**
     * FILTERED / TIMEOUT needs a target that drops SYNs. Loopback has one without firewall rules:
     * a listener whose accept queue is full (backlog 1, never accepting) drops new SYNs on Linux.
     */
    @Test
    void droppedSynTimesOutAsFiltered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LoopbackTargets.v4())) {
            InetSocketAddress target = (InetSocketAddress) server.getLocalSocketAddress();
            List<Socket> fillers = new ArrayList<>();
            boolean full = false;
            try {
                for (int i = 0; i < 8 && !full; i++) { // bounded: backlog 1 fills after ~2
                    Socket filler = new Socket();
                    try {
                        filler.connect(target, 300);
                        fillers.add(filler);
                    } catch (SocketTimeoutException e) {
                        filler.close();
                        full = true;
                    }
                }
                assumeTrue(full, "accept queue did not fill: this kernel does not drop SYNs here");

                ProbeResult result = probe(target, Duration.ofMillis(300));

                assertEquals(PortState.FILTERED, result.state(), result.toString());
                assertEquals(ProbeReason.TIMEOUT, result.reason());
                assertTrue(result.latency().toMillis() >= 300, result.latency().toString());
                assertTrue(result.latency().toMillis() < 1_500, result.latency().toString());
                assertTrue(result.detail().contains("300 ms"), result.detail());
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }
}
