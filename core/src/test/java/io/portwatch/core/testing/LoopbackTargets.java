package io.portwatch.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Closeable;
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
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.net.ServerSocketFactory;

/**
 * Probe targets on loopback that the tests own, for every module's tests (core's test-jar): the
 * agent's probe tests build what they need from the pieces, the end-to-end tests take
 * {@link Standard}, one port per state. Network rule: tests send only to loopback, only to ports
 * opened here or deliberately kept closed here; every loop is bounded.
 *
 * <p>The demo's targets ({@code agent demo-targets}, agent/cli/DemoTargets) are not these: they
 * ship in the agent jar, since {@code ./portwatch demo} runs them.
 */
public final class LoopbackTargets {

    /** The IPv4 loopback address the targets bind by default. */
    public static final String HOST = "127.0.0.1";

    /**
     * Upper bound for the helper threads' loops (connections, datagrams); far above what any test
     * sends, a long end-to-end or fault run included.
     */
    private static final int MAX_EVENTS = 10_000_000;

    private LoopbackTargets() {
    }

    public static InetAddress v4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** ::1, or the test is skipped when IPv6 loopback cannot be bound. */
    public static InetAddress v6OrSkip() {
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

    /**
     * A socket served by one daemon thread, one event (a connection, a datagram) at a time, for at
     * most {@link #MAX_EVENTS} events; {@link #close} closes the socket, which ends the thread.
     */
    public abstract static class Served implements AutoCloseable {
        private final Closeable socket;
        private Thread thread;

        Served(Closeable socket) {
            this.socket = socket;
        }

        /** Starts the thread; the subclass calls it last in its constructor, once its fields are set. */
        final void start(String name) {
            thread = new Thread(() -> {
                try {
                    for (int i = 0; i < MAX_EVENTS && serveOne(); i++) {
                        // serveOne did the work
                    }
                } catch (IOException e) {
                    // closed by close()
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Serves one event; false, or an exception, once the socket is closed. */
        abstract boolean serveOne() throws IOException;

        static InetSocketAddress localAddress(NetworkChannel channel) throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(2_000);
        }
    }

    /** A listening TCP port; a thread accepts and closes connections so the backlog never fills. */
    public static final class TcpListener extends Served {
        private final ServerSocketChannel server;
        public final AtomicInteger accepted = new AtomicInteger();

        public TcpListener(InetAddress address) throws IOException {
            this(ServerSocketChannel.open(), address);
        }

        private TcpListener(ServerSocketChannel server, InetAddress address) throws IOException {
            super(server);
            this.server = server;
            server.bind(new InetSocketAddress(address, 0), 1024);
            start("test-tcp-acceptor");
        }

        @Override
        boolean serveOne() throws IOException {
            try (SocketChannel ignored = server.accept()) {
                accepted.incrementAndGet();
            }
            return true;
        }

        public InetSocketAddress address() throws IOException {
            return localAddress(server);
        }
    }

    /**
     * A TCP server for exchanges: each connection gets {@code reply(request)}, where the request
     * is the first line the client sent (read only when {@code readLine}), then the server reads
     * until the client goes away. With a {@link ServerSocketFactory} of an SSLContext it speaks TLS.
     */
    public static final class TalkingServer extends Served {
        private final ServerSocket server;
        private final boolean readLine;
        private final Function<String, byte[]> reply;
        public final AtomicInteger accepted = new AtomicInteger();

        public TalkingServer(ServerSocketFactory factory, boolean readLine, Function<String, byte[]> reply)
                throws IOException {
            this(factory.createServerSocket(0, 16, v4()), readLine, reply);
        }

        private TalkingServer(ServerSocket server, boolean readLine, Function<String, byte[]> reply) {
            super(server);
            this.server = server;
            this.readLine = readLine;
            this.reply = reply;
            start("test-talking-server");
        }

        @Override
        boolean serveOne() {
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
                return !server.isClosed();
            } catch (IOException e) {
                // A failed handshake or a reset: the next connection.
            }
            return true;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; line.length() < 1_000 && (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString().strip();
        }

        public InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }
    }

    /**
     * A closed TCP port that stays reserved: a socket bound but not listening refuses connects,
     * and nothing else can take the port (a free ephemeral port could even self-connect).
     */
    public static final class ClosedTcpPort implements AutoCloseable {
        private final SocketChannel holder;

        public ClosedTcpPort(InetAddress address) throws IOException {
            holder = SocketChannel.open();
            holder.bind(new InetSocketAddress(address, 0));
        }

        public InetSocketAddress address() throws IOException {
            return (InetSocketAddress) holder.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            holder.close();
        }
    }

    /** A UDP port nobody listens on: bound to get a free port, then closed. */
    public static InetSocketAddress closedUdpPort(InetAddress address) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(address, 0));
            return (InetSocketAddress) channel.getLocalAddress();
        }
    }

    /**
     * A UDP socket answering each datagram with {@code answer(index, datagram)}; null means stay
     * silent. Counts what it received.
     */
    public static final class UdpResponder extends Served {
        private final DatagramChannel channel;
        private final BiFunction<Integer, byte[], byte[]> answer;
        private final ByteBuffer buffer = ByteBuffer.allocate(65_536);
        public final AtomicInteger received = new AtomicInteger();

        public UdpResponder(InetAddress address, BiFunction<Integer, byte[], byte[]> answer) throws IOException {
            this(DatagramChannel.open(), address, answer);
        }

        private UdpResponder(DatagramChannel channel, InetAddress address, BiFunction<Integer, byte[], byte[]> answer)
                throws IOException {
            super(channel);
            this.channel = channel;
            this.answer = answer;
            channel.bind(new InetSocketAddress(address, 0));
            start("test-udp-responder");
        }

        public static UdpResponder echo(InetAddress address) throws IOException {
            return new UdpResponder(address, (i, data) -> data);
        }

        public static UdpResponder silent(InetAddress address) throws IOException {
            return new UdpResponder(address, (i, data) -> null);
        }

        @Override
        boolean serveOne() throws IOException {
            buffer.clear();
            var from = channel.receive(buffer); // blocking; close() ends it
            buffer.flip();
            byte[] data = new byte[buffer.remaining()];
            buffer.get(data);
            byte[] reply = answer.apply(received.getAndIncrement(), data);
            if (reply != null) {
                channel.send(ByteBuffer.wrap(reply), from);
            }
            return true;
        }

        public InetSocketAddress address() throws IOException {
            return localAddress(channel);
        }
    }

    /**
     * One port per state on {@link #HOST}, for tests that run the packaged apps against them: an
     * accepting TCP listener, a TCP port held closed (bound, not listening), a UDP echo responder,
     * and a UDP port that was freed so it answers with ICMP port unreachable.
     */
    public static final class Standard implements AutoCloseable {

        public final int openTcp;
        public final int closedTcp;
        public final int echoUdp;
        public final int closedUdp;
        private final List<AutoCloseable> held = new ArrayList<>();
        private final TcpListener listener;

        public Standard() throws IOException {
            try {
                listener = hold(new TcpListener(v4()));
                openTcp = listener.address().getPort();
                closedTcp = hold(new ClosedTcpPort(v4())).address().getPort();
                echoUdp = hold(UdpResponder.echo(v4())).address().getPort();
                closedUdp = closedUdpPort(v4()).getPort();
            } catch (IOException | RuntimeException e) {
                try {
                    close();
                } catch (Exception alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw e;
            }
        }

        private <C extends AutoCloseable> C hold(C closeable) {
            held.add(closeable);
            return closeable;
        }

        /**
         * Turns the open TCP port into a refusing one: the listener goes and a bound, non-listening
         * socket holds the port, so nothing else can take it and it never connects to itself.
         */
        public void closeOpenTcp() throws IOException, InterruptedException {
            try {
                listener.close();
            } catch (Exception e) {
                throw new IOException("closing the listener of tcp/" + openTcp, e);
            }
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

        /** Closes every port, the rest too when one fails; the first failure is thrown, the others suppressed in it. */
        @Override
        public void close() throws Exception {
            Exception failed = null;
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
