package io.portwatch.agent.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback servers for the probe command's tests: the accept loop, with what each connection is told. */
final class TestServers {

    /** What the server does with a connection before it waits for the probe to close it. */
    interface Greeting {
        void greet(Socket connection) throws IOException;
    }

    private TestServers() {}

    /**
     * Serves up to 8 connections of {@code server} on a daemon thread (bounded: the tests make a
     * few): greets each one, then reads until the probe closes it, 3 s at most.
     */
    static void serve(ServerSocket server, String threadName, Greeting greeting) {
        Thread accepting = new Thread(() -> {
            for (int i = 0; i < 8; i++) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(3_000);
                    greeting.greet(s);
                    while (s.getInputStream().read() >= 0) { // until the probe closes
                    }
                } catch (IOException e) {
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        }, threadName);
        accepting.setDaemon(true);
        accepting.start();
    }
}
