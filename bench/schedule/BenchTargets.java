import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The schedule benchmark's loopback targets and the check files that watch them. On each of
 * 127.0.0.1-127.0.0.4: 6 TCP listeners (accept, close), 2 TCP ports bound but not listening
 * (refused) and 2 UDP echo responders, one block of ports below 32768 (no self-connects), served by
 * one selector thread. Instances: 250 x (check "svc-N": 4 targets x (6 TCP + 2 UDP) ports, and
 * check "closed-N": 4 targets x 2 TCP ports, expect closed) = 10,000.
 */
final class BenchTargets implements AutoCloseable {

    static final int ADDRESSES = 4;
    static final int OPEN_TCP = 6;
    static final int CLOSED_TCP = 2;
    static final int ECHO_UDP = 2;
    static final int PORTS = OPEN_TCP + CLOSED_TCP + ECHO_UDP;
    static final int UNITS = 250;
    static final int INSTANCES = UNITS * ADDRESSES * PORTS;
    static final int INTERVAL_S = 10;
    private static final int CHECKS_PER_FILE = 25;

    private final List<NetworkChannel> held = new ArrayList<>();
    private Selector selector;
    private int base;

    /** Binds every port on every address, from the first block in 24000-32767 where all are free. */
    BenchTargets() throws IOException {
        for (base = 24_000; base + PORTS <= 32_768; base += PORTS) {
            Selector s = Selector.open();
            try {
                bindAll(s);
                selector = s;
                Thread serving = new Thread(this::serve, "bench-targets");
                serving.setDaemon(true);
                serving.start();
                return;
            } catch (IOException busy) {
                s.close();
                held.forEach(BenchTargets::closeQuietly);
                held.clear();
            }
        }
        throw new IllegalStateException("no block of " + PORTS + " free ports in 24000-32767 on 127.0.0.1-4");
    }

    private void bindAll(Selector s) throws IOException {
        for (int a = 1; a <= ADDRESSES; a++) {
            InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) a});
            for (int i = 0; i < PORTS; i++) {
                InetSocketAddress at = new InetSocketAddress(address, base + i);
                if (i < OPEN_TCP) {
                    ServerSocketChannel server = hold(ServerSocketChannel.open());
                    server.bind(at, 1024);
                    server.configureBlocking(false);
                    server.register(s, SelectionKey.OP_ACCEPT);
                } else if (i < OPEN_TCP + CLOSED_TCP) {
                    hold(SocketChannel.open()).bind(at); // bound, never listening: refused
                } else {
                    DatagramChannel udp = hold(DatagramChannel.open());
                    udp.bind(at);
                    udp.configureBlocking(false);
                    udp.register(s, SelectionKey.OP_READ);
                }
            }
        }
    }

    private <C extends NetworkChannel> C hold(C channel) {
        held.add(channel);
        return channel;
    }

    /** Accepts and closes TCP connections, echoes UDP datagrams, until the selector is closed. */
    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.channel() instanceof ServerSocketChannel server) {
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            c.close();
                        }
                    } else if (key.channel() instanceof DatagramChannel udp) {
                        buffer.clear();
                        var from = udp.receive(buffer);
                        if (from != null) {
                            buffer.flip();
                            udp.send(buffer, from);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException end) {
            // closed at the end of the run
        }
    }

    String describe() {
        return String.format("127.0.0.1-127.0.0.%d, tcp/%d-%d open, tcp/%d-%d closed, udp/%d-%d echo", ADDRESSES,
                base, base + OPEN_TCP - 1, base + OPEN_TCP, base + OPEN_TCP + CLOSED_TCP - 1,
                base + OPEN_TCP + CLOSED_TCP, base + PORTS - 1);
    }

    /** Writes the check files (10 files of 25 x 2 checks) into {@code dir}. */
    Path writeChecks(Path dir) throws IOException {
        Files.createDirectories(dir);
        String targets = IntStream.rangeClosed(1, ADDRESSES).mapToObj(a -> "127.0.0." + a)
                .collect(Collectors.joining(", ", "[", "]"));
        String open = ports(0, OPEN_TCP);
        String closed = ports(OPEN_TCP, CLOSED_TCP);
        String udp = ports(OPEN_TCP + CLOSED_TCP, ECHO_UDP);
        for (int f = 0; f < UNITS / CHECKS_PER_FILE; f++) {
            StringBuilder yaml = new StringBuilder("defaults:\n  interval: " + INTERVAL_S + "s\n  timeout: 2s\nchecks:\n");
            for (int u = f * CHECKS_PER_FILE; u < (f + 1) * CHECKS_PER_FILE; u++) {
                yaml.append(String.format("  - name: svc-%03d%n    targets: %s%n    tcp: %s%n    udp: %s%n",
                        u, targets, open, udp));
                yaml.append(String.format("  - name: closed-%03d%n    targets: %s%n    tcp: %s%n    expect: closed%n",
                        u, targets, closed));
            }
            Files.writeString(dir.resolve(String.format("bench-%02d.yaml", f)), yaml);
        }
        return dir;
    }

    private String ports(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> Integer.toString(base + i))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public void close() {
        closeQuietly(selector);
        held.forEach(BenchTargets::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // ending the run
        }
    }
}
