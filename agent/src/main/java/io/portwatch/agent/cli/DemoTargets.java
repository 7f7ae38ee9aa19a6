package io.portwatch.agent.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports for the demo to watch, one per interesting state: a TCP listener (OPEN), a TCP
 * port held closed (bound, never listening: CLOSED), a UDP echo responder (OPEN), a free UDP port
 * (CLOSED, ICMP port unreachable) and a bound but silent UDP socket (OPEN_FILTERED). Binds
 * 127.0.0.1 only. The demo opens them at fixed ports until killed; {@code base} 0 lets the kernel
 * pick the ports.
 *
 * <p>Why this stays in the production agent jar, apart from the tests' loopback targets (core's
 * test-jar, {@code io.portwatch.core.testing.LoopbackTargets}): {@code ./portwatch demo} runs
 * {@code agent demo-targets} from the packaged agent, and a test-jar is on no runtime class path.
 * It is a demo's fixture with a banner and fixed ports, not a test's; no test uses it.
 */
final class DemoTargets implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private final List<NetworkChannel> held = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final int tcpOpen;
    private final int tcpClosed;
    private final int udpEcho;
    private final int udpClosed;
    private final int udpSilent;

    /** Opens the ports base+1 .. base+5, or five ports the kernel picks when {@code base} is 0. */
    static DemoTargets open(int base) throws IOException {
        DemoTargets targets = new DemoTargets(base);
        targets.startThreads();
        return targets;
    }

    private DemoTargets(int base) throws IOException {
        try {
            ServerSocketChannel listener = hold(ServerSocketChannel.open(), base, 1);
            tcpOpen = port(listener);
            tcpClosed = port(hold(SocketChannel.open(), base, 2)); // bound, not listening: connects are refused
            udpEcho = port(hold(DatagramChannel.open(StandardProtocolFamily.INET), base, 3));
            try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
                probe.bind(address(base, 4)); // fails now if the "closed" port is in use
                udpClosed = port(probe);
            }
            DatagramChannel silent = DatagramChannel.open(StandardProtocolFamily.INET);
            silent.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            udpSilent = port(hold(silent, base, 5));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static int run(int base) throws IOException, InterruptedException {
        DemoTargets targets = open(base);
        System.out.printf("demo targets on %s: tcp/%d open, tcp/%d closed, udp/%d echo, udp/%d closed, udp/%d silent%n",
                HOST, targets.tcpOpen, targets.tcpClosed, targets.udpEcho, targets.udpClosed, targets.udpSilent);
        Runtime.getRuntime().addShutdownHook(new Thread(targets::close));
        for (Thread t : targets.threads) {
            t.join();
        }
        return 0;
    }

    int tcpOpen() {
        return tcpOpen;
    }

    int tcpClosed() {
        return tcpClosed;
    }

    int udpEcho() {
        return udpEcho;
    }

    int udpClosed() {
        return udpClosed;
    }

    int udpSilent() {
        return udpSilent;
    }

    private void startThreads() {
        ServerSocketChannel listener = (ServerSocketChannel) held.get(0);
        DatagramChannel echo = (DatagramChannel) held.get(2);
        DatagramChannel silent = (DatagramChannel) held.get(3);
        daemon("demo-tcp-accept", () -> {
            while (listener.isOpen()) {
                try (SocketChannel c = listener.accept()) {
                    c.write(ByteBuffer.wrap("portwatch demo\r\n".getBytes()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        daemon("demo-udp-echo", () -> {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            while (echo.isOpen()) {
                try {
                    buf.clear();
                    var from = echo.receive(buf);
                    buf.flip();
                    echo.send(buf, from);
                } catch (IOException e) {
                    return;
                }
            }
        });
        daemon("demo-udp-silent", () -> {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            while (silent.isOpen()) {
                try {
                    buf.clear();
                    silent.receive(buf); // read and never answer
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private <C extends NetworkChannel> C hold(C channel, int base, int offset) throws IOException {
        held.add(channel);
        channel.bind(address(base, offset));
        return channel;
    }

    private static InetSocketAddress address(int base, int offset) {
        return new InetSocketAddress(HOST, base == 0 ? 0 : base + offset);
    }

    private static int port(NetworkChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** Closing the channels ends the threads. */
    @Override
    public void close() {
        for (NetworkChannel c : held) {
            try {
                c.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }
}
