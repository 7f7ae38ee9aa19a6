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

    /**
     * Turns the open TCP port into a refusing one: the listener goes and a bound, non-listening
     * socket holds the port, so nothing else can take it and it never connects to itself.
     */
    void closeOpenTcp() throws IOException, InterruptedException {
        listener.close();
        // The accept thread holds the listener until it wakes up: NIO closes it for real then.
        for (int attempt = 1; ; attempt++) {
            SocketChannel refusing = SocketChannel.open();
            refusing.socket().setReuseAddress(true); // the accepted connections' TIME_WAIT stays behind
            try {
                held.add(refusing.bind(new InetSocketAddress(HOST, openTcp)));
                return;
            } catch (java.net.BindException e) {
                refusing.close();
                if (attempt == 100) throw e;
                Thread.sleep(50);
            }
        }
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
