package io.portwatch.agent.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** Listens on a port, counting and closing every connection before a byte is exchanged. */
final class DeadCollector implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger attempts = new AtomicInteger();
    private final Thread acceptor;

    DeadCollector(int port) throws IOException {
        socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", port));
        acceptor = new Thread(() -> {
            for (int i = 0; i < 1000 && !socket.isClosed(); i++) {
                try (Socket s = socket.accept()) {
                    attempts.incrementAndGet();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "dead-collector");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int attempts() {
        return attempts.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

