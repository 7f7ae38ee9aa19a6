package io.portwatch.agent.probe.tcp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A TLS client over a connected, non-blocking SocketChannel: every call does what it can without
 * blocking and says what it waits for. Used by one probe on the selector thread; only
 * {@link #runDelegatedTasks()} runs elsewhere, while the probe waits for it.
 *
 * <p>The certificate is verified by the context's trust managers and matched against the peer
 * name (endpoint identification "HTTPS": DNS names and IP addresses in the subject alternative
 * names), as a browser would. A reachability probe that trusted every certificate would report an
 * impostor or an expired certificate as healthy.
 */
final class TlsConnection {

    /** What progress waits for. */
    enum Need { NOTHING, READ, WRITE, TASKS }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SocketChannel channel;
    /** Encrypted bytes not yet written; kept in read mode. */
    private ByteBuffer netOut;
    /** Encrypted bytes read, not yet unwrapped; kept in write mode. */
    private ByteBuffer netIn;
    /** Decrypted bytes not yet handed out; kept in write mode. */
    private ByteBuffer appIn;
    private boolean inboundDone;

    TlsConnection(SSLContext context, String peerName, int port, SocketChannel channel) throws SSLException {
        this.channel = channel;
        engine = context.createSSLEngine(peerName, port); // a host name also becomes the SNI
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        SSLSession session = engine.getSession();
        netOut = ByteBuffer.allocate(session.getPacketBufferSize()).flip();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        engine.beginHandshake();
    }

    /** Advances the handshake as far as possible; {@link Need#NOTHING} once it is complete. */
    Need handshake() throws IOException {
        while (true) {
            if (!flush()) {
                return Need.WRITE;
            }
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return Need.NOTHING;
                }
                case NEED_TASK -> {
                    return Need.TASKS;
                }
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapDuringHandshake()) {
                        return Need.READ;
                    }
                }
            }
        }
    }

    /** The handshake's CPU-heavy steps (key exchange, certificate validation); off the selector. */
    void runDelegatedTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** Encrypts and writes {@code app}; false when the socket is full and writing must resume later. */
    boolean write(ByteBuffer app) throws IOException {
        while (true) {
            if (!flush()) {
                return false;
            }
            if (!app.hasRemaining()) {
                return true;
            }
            wrap(app);
        }
    }

    /** Decrypted bytes into {@code dst}: how many, 0 when more must be read, -1 at the end. */
    int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(appIn.remaining(), dst.remaining());
                ByteBuffer slice = appIn.slice(appIn.position(), n);
                dst.put(slice);
                appIn.position(appIn.position() + n).compact();
                return n;
            }
            if (inboundDone) {
                return -1;
            }
            SSLEngineResult result = unwrap();
            switch (result.getStatus()) {
                case CLOSED -> inboundDone = true; // close_notify
                case BUFFER_UNDERFLOW -> {
                    int n = readNet();
                    if (n <= 0) {
                        return n;
                    }
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case OK -> {
                    // TLS 1.3 sends tickets and key updates after the handshake; they are cheap.
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        wrap(EMPTY);
                        flush();
                    }
                }
            }
        }
    }

    /** The negotiated protocol and cipher suite, e.g. {@code TLSv1.3 TLS_AES_256_GCM_SHA384}. */
    String describe() {
        SSLSession session = engine.getSession();
        return session.getProtocol() + " " + session.getCipherSuite();
    }

    /**
     * After a completed handshake: null when the leaf certificate is valid for more than
     * {@code minDays} days after {@code now}, else the detail of a CERT_EXPIRING result, e.g.
     * {@code certificate of CN=x expires 2026-12-20T00:00:00Z, within tls_min_days 30}. The
     * handshake has already refused a certificate that expired; this catches the one about to.
     */
    String expiringWithin(int minDays, Instant now) throws SSLException {
        Certificate[] chain = engine.getSession().getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return "the server sent no X.509 certificate to check against tls_min_days " + minDays;
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isAfter(now.plus(Duration.ofDays(minDays)))) {
            return null;
        }
        return "certificate of " + leaf.getSubjectX500Principal().getName() + " expires "
                + notAfter.truncatedTo(ChronoUnit.SECONDS) + ", within tls_min_days " + minDays;
    }

    /** A result detail for a failed handshake: certificate problems say so first. */
    static String failure(Throwable e) {
        Throwable root = e;
        boolean certificate = false;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            certificate |= t instanceof CertificateException;
            root = t;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return (certificate ? "certificate rejected: " : "TLS handshake failed: ") + message;
    }

    // ---- internals ------------------------------------------------------------------------

    private boolean flush() throws IOException {
        if (netOut.hasRemaining()) {
            channel.write(netOut);
        }
        return !netOut.hasRemaining();
    }

    private void wrap(ByteBuffer app) throws IOException {
        netOut.compact();
        try {
            while (true) {
                SSLEngineResult result = engine.wrap(app, netOut);
                switch (result.getStatus()) {
                    case OK -> {
                        return;
                    }
                    case BUFFER_OVERFLOW -> netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                    case CLOSED -> throw new SSLException("the TLS connection was closed");
                    case BUFFER_UNDERFLOW -> throw new SSLException("unexpected " + result);
                }
            }
        } finally {
            netOut.flip();
        }
    }

    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
    }

    /** One unwrap step of the handshake; false when more bytes must arrive first. */
    private boolean unwrapDuringHandshake() throws IOException {
        SSLEngineResult result = unwrap();
        return switch (result.getStatus()) {
            case OK -> true;
            case BUFFER_OVERFLOW -> {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                yield true;
            }
            case BUFFER_UNDERFLOW -> {
                int n = readNet();
                if (n < 0) {
                    throw new EOFException("the peer closed the connection during the TLS handshake");
                }
                yield n > 0;
            }
            case CLOSED -> throw new SSLException("the peer closed TLS during the handshake");
        };
    }

    private int readNet() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        }
        return channel.read(netIn);
    }

    /** A larger copy of a write-mode buffer. */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity()) + buffer.position());
        buffer.flip();
        return bigger.put(buffer);
    }
}
