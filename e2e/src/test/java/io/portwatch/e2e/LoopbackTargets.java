package io.portwatch.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports on 127.0.0.1 that this test owns: an accepting TCP listener, a TCP port held closed
 * (bound, not listening), a UDP echo responder, and a UDP port that was freed so it answers
 * with ICMP port unreachable.
 */
final class LoopbackTargets implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    final int openTcp;
    final int closedTcp;
    final int echoUdp;
    final int closedUdp;
    private final List<AutoCloseable> held = new ArrayList<>();
    private final ServerSocketChannel listener;

    LoopbackTargets() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(HOST, 0));
        held.add(listener);
        openTcp = listener.socket().getLocalPort();
        SocketChannel refusing = SocketChannel.open().bind(new InetSocketAddress(HOST, 0));
        held.add(refusing);
        closedTcp = refusing.socket().getLocalPort();
        DatagramChannel echo = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
        held.add(echo);
        echoUdp = echo.socket().getLocalPort();
        try (DatagramChannel freed = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0))) {
            closedUdp = freed.socket().getLocalPort();
        }
        daemon(() -> {
            while (listener.isOpen()) {
                try (SocketChannel c = listener.accept()) {
                    // accepted and closed: the probe only needs the handshake
                } catch (IOException e) {
                    return;
                }
            }
        });
        daemon(() -> {
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
    }

    private static void daemon(Runnable body) {
        Thread t = new Thread(body, "e2e-target");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : held) {
            c.close();
        }
    }
}
