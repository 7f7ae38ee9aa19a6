package io.portwatch.collector.alert.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A minimal SMTP server on loopback (RFC 5321 without extensions: no STARTTLS, no AUTH), enough for
 * a real client to hand over a message. Each message is kept as from, to and the raw DATA.
 */
final class TestSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Queue<Map<String, Object>> received = new ConcurrentLinkedQueue<>();

    private TestSmtpServer(ServerSocket socket) {
        this.socket = socket;
    }

    static TestSmtpServer start() throws IOException {
        TestSmtpServer server = new TestSmtpServer(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(server::acceptLoop, "test-smtp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    int port() {
        return socket.getLocalPort();
    }

    Queue<Map<String, Object>> received() {
        return received;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "test-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client;
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = client.getOutputStream()) {
            reply(out, "220 smtp.portwatch.test ESMTP test server");
            String from = null;
            List<String> to = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line.toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 smtp.portwatch.test");
                    case "MAIL" -> {
                        from = line.substring(line.indexOf(':') + 1).trim();
                        to = new ArrayList<>();
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        to.add(line.substring(line.indexOf(':') + 1).trim());
                        reply(out, "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder data = new StringBuilder();
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) {
                            data.append(d.startsWith("..") ? d.substring(1) : d).append("\n");
                        }
                        Map<String, Object> mail = new HashMap<>();
                        mail.put("from", from);
                        mail.put("to", List.copyOf(to));
                        mail.put("data", data.toString());
                        received.add(mail);
                        reply(out, "250 OK queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    case "RSET", "NOOP" -> reply(out, "250 OK");
                    default -> reply(out, "502 command not implemented");
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
