package io.portwatch.agent.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports for the demo to watch, one per interesting state: a TCP listener (OPEN), a TCP
 * port held closed (bound, never listening: CLOSED), a UDP echo responder (OPEN), a free UDP port
 * (CLOSED, ICMP port unreachable) and a bound but silent UDP socket (OPEN_FILTERED). Runs until
 * killed. Binds 127.0.0.1 only.
 */
final class DemoTargets {

    static final String HOST = "127.0.0.1";

    private DemoTargets() {}

    static int run(int base) throws IOException, InterruptedException {
        List<AutoCloseable> held = new ArrayList<>();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(HOST, base + 1));
        held.add(listener);
        SocketChannel closedTcp = SocketChannel.open();
        closedTcp.bind(new InetSocketAddress(HOST, base + 2)); // bound, not listening: connects are refused
        held.add(closedTcp);
        DatagramChannel echo = DatagramChannel.open(StandardProtocolFamily.INET);
        echo.bind(new InetSocketAddress(HOST, base + 3));
        held.add(echo);
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(HOST, base + 4)); // fails now if the "closed" port is in use
        }
        DatagramChannel silent = DatagramChannel.open(StandardProtocolFamily.INET);
        silent.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        silent.bind(new InetSocketAddress(HOST, base + 5));
        held.add(silent);

        Thread accepter = daemon("demo-tcp-accept", () -> {
            while (listener.isOpen()) {
                try (SocketChannel c = listener.accept()) {
                    c.write(ByteBuffer.wrap("portwatch demo\r\n".getBytes()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        Thread echoer = daemon("demo-udp-echo", () -> {
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
        Thread drainer = daemon("demo-udp-silent", () -> {
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
        System.out.printf("demo targets on %s: tcp/%d open, tcp/%d closed, udp/%d echo, udp/%d closed, udp/%d silent%n",
                HOST, base + 1, base + 2, base + 3, base + 4, base + 5);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> held.forEach(DemoTargets::closeQuietly)));
        accepter.join();
        echoer.join();
        drainer.join();
        return 0;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down
        }
    }
}
