package io.portwatch.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portwatch.agent.inventory.ListeningSocket.Owner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The inventory of this host, on sockets this test opens on loopback and the wildcard address,
 * against {@code ss -ltnup} (iproute2) for those sockets.
 */
class ListeningInventoryTest {

    // Java's sockets are IPv6 (dual-stack) unless opened for INET: one bound to 127.0.0.1 without it
    // is listed in tcp6 as ::ffff:127.0.0.1, as ss shows it too.
    @Test
    void agreesWithSsForTheSocketsThisTestOpened() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc/net: not Linux");
        try (ServerSocketChannel tcpLoopback = ServerSocketChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
                ServerSocketChannel tcpWildcard6 = ServerSocketChannel.open(StandardProtocolFamily.INET6)
                        .bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
                DatagramChannel udpLoopback = DatagramChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0))) {
            int tcp4 = port(tcpLoopback.getLocalAddress());
            int tcp6 = port(tcpWildcard6.getLocalAddress());
            int udp4 = port(udpLoopback.getLocalAddress());
            long self = ProcessHandle.current().pid();

            List<ListeningSocket> sockets = ListeningInventory.ofHost().read();
            Set<String> ours = new HashSet<>();
            for (ListeningSocket s : sockets) {
                if (s.owner() instanceof Owner.Process p && p.pid() == self) {
                    ours.add(s.family().netid(s.protocol()) + " " + s.local());
                }
            }
            Set<String> expected = Set.of("tcp 127.0.0.1:" + tcp4, "tcp6 [::]:" + tcp6, "udp 127.0.0.1:" + udp4);
            assertTrue(ours.containsAll(expected), "expected " + expected + " among this JVM's sockets " + ours);

            Set<String> ss = ss(self);
            assumeTrue(ss != null, "ss (iproute2) not installed: compared with the expected sockets only");
            for (String socket : expected) {
                assertTrue(ss.contains(socket), "ss -ltnup lists " + ss + ", not " + socket);
            }
        }
    }

    @Test
    void aProcWithoutIpv6ListsTheRest() throws IOException {
        Path proc = Files.createTempDirectory("proc");
        Files.createDirectories(proc.resolve("net"));
        Files.copy(ProcNetTableTest.CAPTURED.resolve("net/tcp"), proc.resolve("net/tcp"));
        List<ListeningSocket> sockets = new ListeningInventory(proc).read();
        assertEquals(List.of("0.0.0.0:37771", "127.0.0.1:46033"), sockets.stream().map(ListeningSocket::local).sorted().toList());
        assertTrue(sockets.stream().allMatch(s -> s.owner() instanceof Owner.Unknown), "no pid dirs, no owners");
    }

    private static int port(java.net.SocketAddress a) {
        return ((InetSocketAddress) a).getPort();
    }

    /** The sockets {@code ss -ltnup} lists for process {@code pid}, as "netid local"; null without ss. */
    private static Set<String> ss(long pid) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("ss", "-H", "-ltnup").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ss did not finish");
        Set<String> sockets = new HashSet<>();
        for (String line : out.split("\n")) {
            if (!line.contains("pid=" + pid + ",")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            // Netid State Recv-Q Send-Q Local Peer Process; ss writes the IPv6 wildcard as [::] or *.
            boolean v6 = f[4].startsWith("[");
            String local = f[4].startsWith("*:") ? "[::]" + f[4].substring(1) : f[4];
            sockets.add(f[0] + (v6 || f[4].startsWith("*:") ? "6" : "") + " " + local);
        }
        return sockets;
    }
}
