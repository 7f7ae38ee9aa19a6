package io.portwatch.agent.probe;

import io.portwatch.core.testing.NetworkNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.ClosedTcpPort;
import io.portwatch.core.testing.LoopbackTargets.TcpListener;
import io.portwatch.core.testing.LoopbackTargets.UdpResponder;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FFM connect path ({@link ConnectPath#FFM_EPOLL}) against the NIO path: the same probes through
 * both give the same state, reason and detail. Surefire runs this class twice: on the build's JDK 17,
 * where the engine must fall back to NIO, and (profile {@code ffm-connect-path} in agent/pom.xml,
 * when Temurin 25 is installed) on Java 25 with native access, where system property
 * {@value #EXPECT} says the FFM path must run. Either way the path is asserted, never assumed.
 */
class ConnectPathParityTest {

    /** Set by the Java 25 surefire execution: the connect path this JVM must take. */
    static final String EXPECT = "portwatch.test.expect-connect-path";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static ProbeEngine nio;
    private static ProbeEngine ffm;

    @BeforeAll
    static void engines() {
        ProbeLimits limits = new ProbeLimits(16, 16, ProbeLimits.DEFAULT_UDP_STARTS_PER_SECOND,
                ProbeLimits.DEFAULT_UDP_BURST);
        nio = new ProbeEngine(limits, ProbeEngine.defaultTls(), ForkJoinPool.commonPool(), ConnectPath.NIO);
        ffm = new ProbeEngine(limits, ProbeEngine.defaultTls(), ForkJoinPool.commonPool(), ConnectPath.FFM_EPOLL);
    }

    @AfterAll
    static void close() {
        nio.close();
        ffm.close();
    }

    @Test
    void theExpectedPathRuns() {
        assertEquals(ConnectPath.NIO, nio.connectPath());
        String expected = System.getProperty(EXPECT);
        if (expected != null) {
            assertEquals(expected, ffm.connectPath().id(), "why not ffm: " + ConnectPath.whyNio());
        } else if (Runtime.version().feature() < 22) {
            assertEquals(ConnectPath.NIO, ffm.connectPath(), "Java " + Runtime.version().feature() + " has no FFM");
            assertEquals(ConnectPath.NIO, ConnectPath.detect());
        }
    }

    @Test
    void openV4() throws Exception {
        try (TcpListener listener = new TcpListener(LoopbackTargets.v4())) {
            assertSame(ProbeRequest.tcp(listener.address(), TIMEOUT), PortState.OPEN, ProbeReason.CONNECTED);
        }
    }

    @Test
    void refusedV4() throws Exception {
        try (ClosedTcpPort closed = new ClosedTcpPort(LoopbackTargets.v4())) {
            assertSame(ProbeRequest.tcp(closed.address(), TIMEOUT), PortState.CLOSED, ProbeReason.REFUSED);
        }
    }

    @Test
    void openAndRefusedV6() throws Exception {
        InetAddress v6 = LoopbackTargets.v6OrSkip();
        try (TcpListener listener = new TcpListener(v6); ClosedTcpPort closed = new ClosedTcpPort(v6)) {
            assertSame(ProbeRequest.tcp(listener.address(), TIMEOUT), PortState.OPEN, ProbeReason.CONNECTED);
            assertSame(ProbeRequest.tcp(closed.address(), TIMEOUT), PortState.CLOSED, ProbeReason.REFUSED);
        }
    }

    /**
     * Immediate connect failure (errno from connect itself, not SO_ERROR): the kernel refuses a TCP
     * connect to the broadcast address with ENETUNREACH before any packet leaves.
     */
    @Test
    void connectThatFailsAtOnce() throws Exception {
        InetSocketAddress broadcast = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 255, (byte) 255,
                (byte) 255, (byte) 255}), 9);
        ProbeResult viaNio = nio.probe(ProbeRequest.tcp(broadcast, TIMEOUT)).get(10, TimeUnit.SECONDS);
        ProbeResult viaFfm = ffm.probe(ProbeRequest.tcp(broadcast, TIMEOUT)).get(10, TimeUnit.SECONDS);
        assertEquals(viaNio.state(), viaFfm.state(), viaNio + " / " + viaFfm);
        assertEquals(viaNio.reason(), viaFfm.reason(), viaNio + " / " + viaFfm);
        assertEquals(viaNio.detail(), viaFfm.detail());
    }

    /**
     * Many connects through the in-flight limit: every one OPEN, the limit held, and no socket left
     * open afterwards (each probe closes its fd).
     */
    @Test
    void manyConnectsKeepTheLimitAndLeakNoSockets() throws Exception {
        try (TcpListener listener = new TcpListener(LoopbackTargets.v4())) {
            // A first batch loads what the path needs (classes from jars, which hold fds of their own).
            List<CompletableFuture<ProbeResult>> warmUp = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                warmUp.add(ffm.probe(ProbeRequest.tcp(listener.address(), TIMEOUT)));
            }
            for (CompletableFuture<ProbeResult> f : warmUp) {
                f.get(20, TimeUnit.SECONDS);
            }
            int fdsBefore = openFds();
            List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
            int maxSeen = 0;
            for (int i = 0; i < 2_000; i++) {
                results.add(ffm.probe(ProbeRequest.tcp(listener.address(), TIMEOUT)));
                maxSeen = Math.max(maxSeen, ffm.inFlight());
            }
            for (CompletableFuture<ProbeResult> f : results) {
                ProbeResult r = f.get(20, TimeUnit.SECONDS);
                assertEquals(PortState.OPEN, r.state(), r.toString());
            }
            assertTrue(maxSeen <= 16, "in flight " + maxSeen + " > 16");
            // A leak would be ~2,000 fds; the listener closes its side of the last connections on its
            // own thread, so give it a moment, and allow a few fds the JVM opens meanwhile.
            int fdsAfter = openFds();
            for (long end = System.nanoTime() + 2_000_000_000L; fdsAfter > fdsBefore + 8 && System.nanoTime() < end; ) {
                Thread.sleep(50);
                fdsAfter = openFds();
            }
            assertTrue(fdsAfter <= fdsBefore + 8, "fds " + fdsBefore + " -> " + fdsAfter);
        }
    }

    /**
     * A connect while a UDP probe (NIO) waits: the loop blocks in the selector then, and a finished
     * connect must wake it at once, not at the UDP probe's next timer.
     */
    @Test
    void connectWhileNioProbeWaitsIsNotDelayed() throws Exception {
        try (UdpResponder silent = UdpResponder.silent(LoopbackTargets.v4());
                TcpListener listener = new TcpListener(LoopbackTargets.v4());
                ClosedTcpPort closed = new ClosedTcpPort(LoopbackTargets.v4())) {
            CompletableFuture<ProbeResult> udp = ffm.probe(
                    ProbeRequest.udp(silent.address(), Duration.ofSeconds(3), new byte[] {1}).withRetries(0));
            Thread.sleep(100); // the UDP probe is in flight: the loop waits in the selector
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                ProbeResult open = ffm.probe(ProbeRequest.tcp(listener.address(), TIMEOUT)).get(10, TimeUnit.SECONDS);
                ProbeResult refused = ffm.probe(ProbeRequest.tcp(closed.address(), TIMEOUT)).get(10, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(PortState.OPEN, open.state(), open.toString());
                assertEquals(PortState.CLOSED, refused.state(), refused.toString());
                assertTrue(millis < 300, "two loopback connects took " + millis + " ms beside a UDP probe");
                Thread.sleep(50);
            }
            assertTrue(!udp.isDone(), "the UDP probe is still waiting: the test measured the mixed wait");
            assertEquals(PortState.OPEN_FILTERED, udp.get(10, TimeUnit.SECONDS).state());
        }
    }

    /**
     * The reverse: a steady stream of connects must not starve a NIO probe. The UDP probe starts
     * first; its reply comes 50 ms later, while 18,000 connects stream through the engine (two
     * listeners: each test listener accepts at most 10,000). Read at once it shows a latency of
     * about 50 ms; left unread while connects keep finishing, it would
     * wait for the stream's end (or become a false silence at the deadline).
     */
    @Test
    void nioProbeIsServedWhileConnectsStream() throws Exception {
        try (UdpResponder slowEcho = new UdpResponder(LoopbackTargets.v4(), (i, data) -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return data;
                });
                TcpListener first = new TcpListener(LoopbackTargets.v4());
                TcpListener second = new TcpListener(LoopbackTargets.v4())) {
            CompletableFuture<ProbeResult> udp = ffm.probe(
                    ProbeRequest.udp(slowEcho.address(), Duration.ofSeconds(3), new byte[] {1}).withRetries(0));
            Thread.sleep(10);
            List<CompletableFuture<ProbeResult>> stream = new ArrayList<>();
            for (int i = 0; i < 18_000; i++) {
                stream.add(ffm.probe(ProbeRequest.tcp((i % 2 == 0 ? first : second).address(), TIMEOUT)));
            }
            ProbeResult reply = udp.get(10, TimeUnit.SECONDS);
            boolean streaming = !stream.get(stream.size() - 1).isDone();
            for (CompletableFuture<ProbeResult> f : stream) {
                assertEquals(PortState.OPEN, f.get(60, TimeUnit.SECONDS).state());
            }
            String what = reply + (streaming ? " (connects still streaming)" : " (the stream had ended)");
            assertEquals(ProbeReason.REPLY, reply.reason(), what);
            assertTrue(reply.latency().toMillis() < 300, what);
            assertTrue(streaming, "the stream ended before the reply was read: the test measured nothing");
        }
    }

    /** A TCP probe that sends or expects a banner keeps the NIO path, and still works beside FFM. */
    @Test
    void connectWithPayloadStaysOnNio() throws Exception {
        try (TcpListener listener = new TcpListener(LoopbackTargets.v4())) {
            ProbeRequest send = ProbeRequest.tcp(listener.address(), TIMEOUT).withPayload(new byte[] {'x', '\n'});
            ProbeResult r = ffm.probe(send).get(10, TimeUnit.SECONDS);
            assertEquals(PortState.OPEN, r.state(), r.toString());
            assertEquals(ProbeReason.CONNECTED, r.reason());
            assertEquals(nio.probe(send).get(10, TimeUnit.SECONDS).detail(), r.detail());
        }
    }

    /** Dropped, ICMP-rejected and refused across a veth, in a namespace the test builds. */
    @Test
    void filteredAndUnreachableInANamespace() throws Exception {
        NetworkNamespace namespace = NetworkNamespace.forTest("pw-cpp-", "pwc");
        try {
            namespace.create();
            namespace.policyRules("ipproto tcp dport 80 blackhole", "ipproto tcp dport 81 prohibit");
            InetAddress host = namespace.targetAddress();
            assertSame(ProbeRequest.tcp(new InetSocketAddress(host, 80), Duration.ofMillis(400)),
                    PortState.FILTERED, ProbeReason.TIMEOUT);
            // IPv4 admin-prohibited reaches connect() as EHOSTUNREACH: host-unreachable, as nmap -sT says.
            assertSame(ProbeRequest.tcp(new InetSocketAddress(host, 81), Duration.ofSeconds(4)),
                    PortState.FILTERED, ProbeReason.HOST_UNREACHABLE);
            assertSame(ProbeRequest.tcp(new InetSocketAddress(host, 82), TIMEOUT), PortState.CLOSED, ProbeReason.REFUSED);
        } finally {
            namespace.remove();
        }
    }

    /** Both paths give this state and reason (null: any, but the same) and the same detail. */
    private static ProbeResult assertSame(ProbeRequest request, PortState state, ProbeReason reason) throws Exception {
        ProbeResult viaNio = nio.probe(request).get(10, TimeUnit.SECONDS);
        ProbeResult viaFfm = ffm.probe(request).get(10, TimeUnit.SECONDS);
        String both = "nio " + viaNio + " / " + ffm.connectPath().id() + " " + viaFfm;
        assertEquals(state, viaNio.state(), both);
        if (reason != null) {
            assertEquals(reason, viaNio.reason(), both);
        }
        assertEquals(viaNio.state(), viaFfm.state(), both);
        assertEquals(viaNio.reason(), viaFfm.reason(), both);
        assertEquals(viaNio.detail(), viaFfm.detail(), both);
        assertEquals(viaNio.address(), viaFfm.address(), both);
        return viaFfm;
    }

    private static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        assumeTrue(fds != null, "no /proc/self/fd");
        return fds.length;
    }
}
