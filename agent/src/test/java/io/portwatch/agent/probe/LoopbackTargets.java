package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.net.ServerSocketFactory;

/**
 * Probe targets on loopback that the tests own. Network rule: tests send only to loopback, only to
 * ports opened here or deliberately kept closed here; every loop is bounded.
 */
final class LoopbackTargets {

    /** Upper bound for the helper threads' loops; far above what any test sends. */
    private static final int MAX_EVENTS = 10_000;

    private LoopbackTargets() {
    }

    static InetAddress v4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** ::1, or the test is skipped when IPv6 loopback cannot be bound. */
    static InetAddress v6OrSkip() {
        try {
            InetAddress v6 = InetAddress.getByName("::1");
            try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                probe.bind(new InetSocketAddress(v6, 0));
            }
            return v6;
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "IPv6 loopback not available: " + e);
            throw new AssertionError("unreachable");
        }
    }

    /** A listening TCP port; a thread accepts and closes connections so the backlog never fills. */
    static final class TcpListener implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Thread acceptor;
        final AtomicInteger accepted = new AtomicInteger();

        TcpListener(InetAddress address) throws IOException {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(address, 0), 1024);
            acceptor = new Thread(this::acceptLoop, "test-tcp-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptLoop() {
            for (int i = 0; i < MAX_EVENTS; i++) {
                try (SocketChannel ignored = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return; // closed by close()
                }
            }
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) server.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join(2_000);
        }
    }

    /**
     * A TCP server for exchanges: each connection gets {@code reply(request)}, where the request
     * is the first line the client sent (read only when {@code readLine}), then the server reads
     * until the client goes away. With a {@link ServerSocketFactory} of an SSLContext it speaks TLS.
     */
    static final class TalkingServer implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        final AtomicInteger accepted = new AtomicInteger();

        TalkingServer(ServerSocketFactory factory, boolean readLine, Function<String, byte[]> reply)
                throws IOException {
            server = factory.createServerSocket(0, 16, v4());
            thread = new Thread(() -> serve(readLine, reply), "test-talking-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(boolean readLine, Function<String, byte[]> reply) {
            for (int i = 0; i < MAX_EVENTS; i++) {
                try (Socket socket = server.accept()) {
                    accepted.incrementAndGet();
                    socket.setSoTimeout(5_000);
                    InputStream in = socket.getInputStream();
                    String line = readLine ? readLine(in) : "";
                    socket.getOutputStream().write(reply.apply(line));
                    socket.getOutputStream().flush();
                    while (in.read() >= 0) { // until the probe resets or closes; bounded by the timeout
                    }
                } catch (SocketException e) {
                    if (server.isClosed()) {
                        return;
                    }
                } catch (IOException e) {
                    // A failed handshake or a reset: the next connection.
                }
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; line.length() < 1_000 && (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString().strip();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(2_000);
        }
    }

    /**
     * A closed TCP port that stays reserved: a socket bound but not listening refuses connects,
     * and nothing else can take the port (a free ephemeral port could even self-connect).
     */
    static final class ClosedTcpPort implements AutoCloseable {
        private final SocketChannel holder;

        ClosedTcpPort(InetAddress address) throws IOException {
            holder = SocketChannel.open();
            holder.bind(new InetSocketAddress(address, 0));
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) holder.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            holder.close();
        }
    }

    /** A UDP port nobody listens on: bound to get a free port, then closed. */
    static InetSocketAddress closedUdpPort(InetAddress address) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(address, 0));
            return (InetSocketAddress) channel.getLocalAddress();
        }
    }

    /**
     * A UDP socket answering each datagram with {@code answer(index, datagram)}; null means stay
     * silent. Counts what it received.
     */
    static final class UdpResponder implements AutoCloseable {
        private final DatagramChannel channel;
        private final BiFunction<Integer, byte[], byte[]> answer;
        private final Thread thread;
        final AtomicInteger received = new AtomicInteger();

        UdpResponder(InetAddress address, BiFunction<Integer, byte[], byte[]> answer) throws IOException {
            this.channel = DatagramChannel.open();
            this.answer = answer;
            channel.bind(new InetSocketAddress(address, 0));
            thread = new Thread(this::serve, "test-udp-responder");
            thread.setDaemon(true);
            thread.start();
        }

        static UdpResponder echo(InetAddress address) throws IOException {
            return new UdpResponder(address, (i, data) -> data);
        }

        static UdpResponder silent(InetAddress address) throws IOException {
            return new UdpResponder(address, (i, data) -> null);
        }

        private void serve() {
            ByteBuffer buffer = ByteBuffer.allocate(65_536);
            for (int i = 0; i < MAX_EVENTS; i++) {
                try {
                    buffer.clear();
                    var from = channel.receive(buffer); // blocking; close() ends it
                    buffer.flip();
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    byte[] reply = answer.apply(received.getAndIncrement(), data);
                    if (reply != null) {
                        channel.send(ByteBuffer.wrap(reply), from);
                    }
                } catch (IOException e) {
                    return; // closed by close()
                }
            }
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            channel.close();
            thread.join(2_000);
        }
    }
}
