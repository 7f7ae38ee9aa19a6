package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portwatch.core.check.PortState;
import io.portwatch.core.testing.LoopbackTargets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The close strategy, measured: 2,000 fast connects to a loopback listener, closed by the engine
 * (SO_LINGER 0: RST) and by a normal close (FIN), then the TIME_WAIT sockets of each listener's
 * port counted in /proc/net/tcp (state 06). The side that closes first keeps TIME_WAIT for 60 s,
 * so a prober closing normally at thousands per second runs out of ephemeral ports. A few seconds.
 */
@Tag("slow")
class TcpCloseStrategyTest {

    private static final int CONNECTS = 2_000;
    private static final Path PROC_NET_TCP = Path.of("/proc/net/tcp");
    /** Java's default sockets are dual-stack IPv6 ones: their IPv4 connections are listed here. */
    private static final Path PROC_NET_TCP6 = Path.of("/proc/net/tcp6");

    /** Accepts one connection at a time and reads it until the client's FIN or RST, then closes. */
    private static final class DrainingServer implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger finished = new AtomicInteger();
        final Thread thread;

        DrainingServer() throws IOException {
            server = new ServerSocket(0, CONNECTS, LoopbackTargets.v4());
            thread = new Thread(this::serve, "test-draining-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            for (int i = 0; i < CONNECTS; i++) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5_000);
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) { // until FIN (-1) or RST (exception); bounded by the timeout
                    }
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                } finally {
                    finished.incrementAndGet();
                }
            }
        }

        int port() {
            return server.getLocalPort();
        }

        void awaitAll() throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (finished.get() < CONNECTS && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTS, finished.get(), "server handled every connection");
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(2_000);
        }
    }

    @Test
    void resetLeavesNoTimeWaitWhereANormalCloseLeavesOnePerConnect() throws Exception {
        assumeTrue(Files.isReadable(PROC_NET_TCP), "no /proc/net/tcp: not Linux");
        try (DrainingServer rst = new DrainingServer(); DrainingServer fin = new DrainingServer()) {
            long t0 = System.nanoTime();
            try (ProbeEngine engine = new ProbeEngine(new ProbeLimits(64, 64, 20, 5))) {
                List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
                InetSocketAddress target = (InetSocketAddress) rst.server.getLocalSocketAddress();
                for (int i = 0; i < CONNECTS; i++) {
                    futures.add(engine.probe(ProbeRequest.tcp(target, Duration.ofSeconds(5))));
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                for (CompletableFuture<ProbeResult> f : futures) {
                    assertEquals(PortState.OPEN, f.getNow(null).state(), f.getNow(null).toString());
                }
            }
            long engineMillis = (System.nanoTime() - t0) / 1_000_000;
            rst.awaitAll();

            long t1 = System.nanoTime();
            InetSocketAddress plain = (InetSocketAddress) fin.server.getLocalSocketAddress();
            for (int i = 0; i < CONNECTS; i++) {
                SocketChannel.open(plain).close(); // FIN first: this side keeps the TIME_WAIT
            }
            long plainMillis = (System.nanoTime() - t1) / 1_000_000;
            fin.awaitAll();

            long resetTimeWait = timeWaitSockets(rst.port());
            long normalTimeWait = timeWaitSockets(fin.port());
            System.out.printf("TIME_WAIT after %d connects: SO_LINGER 0 (engine, %d ms) %d, normal close (%d ms) %d%n",
                    CONNECTS, engineMillis, resetTimeWait, plainMillis, normalTimeWait);
            assertTrue(resetTimeWait < 50, "RST leaves (almost) no TIME_WAIT: " + resetTimeWait);
            assertTrue(normalTimeWait > CONNECTS / 2, "a normal close leaves one per connect: " + normalTimeWait);
        }
    }

    /** Sockets in TIME_WAIT (state 06) with {@code port} as their local or remote port. */
    private static long timeWaitSockets(int port) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path table : List.of(PROC_NET_TCP, PROC_NET_TCP6)) {
            if (Files.isReadable(table)) {
                List<String> rows = Files.readAllLines(table);
                lines.addAll(rows.subList(1, rows.size())); // without the header
            }
        }
        return lines.stream()
                .map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(f -> f.length > 3 && f[3].equals("06"))
                .filter(f -> portOf(f[1]) == port || portOf(f[2]) == port)
                .count();
    }

    private static int portOf(String hexAddressAndPort) {
        return Integer.parseInt(hexAddressAndPort.substring(hexAddressAndPort.indexOf(':') + 1), 16);
    }
}
