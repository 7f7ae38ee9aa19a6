package io.portwatch.agent.probe.tcp;

import io.portwatch.agent.probe.InFlightProbe;
import io.portwatch.agent.probe.IoErrorClassifier;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeRequest;
import io.portwatch.core.check.PortState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A TCP connect probe: a non-blocking connect, then OP_CONNECT until the handshake completes, is
 * refused (RST: CLOSED), fails with an ICMP error (FILTERED) or the deadline passes (FILTERED,
 * nothing answered). The latency runs from the probe's start (socket creation, microseconds, then
 * the connect) to the outcome.
 *
 * <p>When the request asks for more than a connect, the same deadline covers, in order: a TLS
 * handshake ({@link TlsConnection}), writing the request's payload, and reading until the expected
 * banner is found (at most {@link Banner#MAX_BYTES}). Once connected the port is OPEN whatever
 * happens next; the reason says whether the service behaved: CONNECTED, TLS_FAILED (with the
 * handshake's or the certificate's problem), CERT_EXPIRING (the request's tlsMinDays, checked right
 * after the handshake, with the expiry date) or BANNER_MISMATCH (with the bytes received, escaped).
 * Each of the last three makes an {@code expect: open} check unhealthy (Expectation.health).
 *
 * <p>Close strategy: SO_LINGER 0, so closing sends a RST and leaves no TIME_WAIT socket. At high
 * probe rates a normal close fills the ephemeral port range with TIME_WAIT (measured: ~12 sockets
 * with RST against the whole range without; {@code TcpCloseStrategyTest} repeats the measurement).
 * The probed service sees a reset instead of a clean close (no TLS close_notify either): a probe
 * has nothing more to say, and the service loses nothing it was owed.
 */
public final class TcpConnectProbe extends InFlightProbe {

    private enum Phase { CONNECTING, HANDSHAKING, SENDING, RECEIVING }

    /** Reads per readiness event, so one fast talker cannot hold up the other probes. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final SSLContext tlsContext;
    private SocketChannel channel;
    private SelectionKey key;
    private Phase phase = Phase.CONNECTING;
    private TlsConnection tls;
    private String tlsDetail = "";
    private ByteBuffer toSend;
    private Banner banner;

    public TcpConnectProbe(ProbeRequest request, SSLContext tlsContext) {
        super(request);
        this.tlsContext = request.tls() ? Objects.requireNonNull(tlsContext, "tlsContext") : tlsContext;
    }

    @Override
    protected void start() throws IOException {
        InetSocketAddress target = request().address();
        // Failures up to here (no file descriptors, ...) are the agent's: they escape as LOCAL_ERROR.
        channel = SocketChannel.open(familyOf(target));
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        boolean connected;
        try {
            connected = channel.connect(target);
        } catch (IOException e) {
            // Immediate failures: network unreachable, permission denied by a local rule, ...
            finishWithError(e, System.nanoTime());
            return;
        }
        if (connected) {
            connected(System.nanoTime());
            return;
        }
        key = channel.register(selector(), SelectionKey.OP_CONNECT, this);
    }

    @Override
    protected void onReady(SelectionKey readyKey) throws IOException {
        long now = System.nanoTime();
        if (phase != Phase.CONNECTING) {
            advance(now);
            return;
        }
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            // "Connection refused" -> CLOSED; no route / unreachable / prohibited -> FILTERED.
            finishWithError(e, now);
            return;
        }
        connected(now);
    }

    private void connected(long now) throws IOException {
        ProbeRequest request = request();
        if (!request.exchanges()) {
            finish(PortState.OPEN, ProbeReason.CONNECTED, now, "");
            return;
        }
        if (key == null) {
            key = channel.register(selector(), 0, this);
        }
        toSend = ByteBuffer.wrap(request.payload());
        banner = request.expectBanner() == null ? null : new Banner(request.expectBanner());
        if (request.tls()) {
            phase = Phase.HANDSHAKING;
            try {
                tls = new TlsConnection(tlsContext, request.tlsPeerName(), request.address().getPort(), channel);
            } catch (IOException | RuntimeException e) {
                finish(PortState.OPEN, ProbeReason.TLS_FAILED, now, TlsConnection.failure(e));
                return;
            }
        } else {
            phase = Phase.SENDING;
        }
        advance(now);
    }

    /** Runs the phases after the connect as far as they go without blocking. */
    private void advance(long now) {
        if (phase == Phase.HANDSHAKING && !handshake(now)) {
            return;
        }
        try {
            if (phase == Phase.SENDING) {
                boolean sent = tls != null ? tls.write(toSend) : writePlain();
                if (!sent) {
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (banner == null) {
                    finish(PortState.OPEN, ProbeReason.CONNECTED, now, detail(sentText()));
                    return;
                }
                phase = Phase.RECEIVING;
            }
            receive();
        } catch (IOException e) {
            // The port accepted the connection: it is open, whatever the service did next.
            String what = IoErrorClassifier.describe(e);
            if (banner == null) {
                finish(PortState.OPEN, ProbeReason.CONNECTED, now, detail("send failed: " + what));
            } else {
                finish(PortState.OPEN, ProbeReason.BANNER_MISMATCH, now,
                        detail(what + " after " + banner.length() + " bytes: " + banner.quoted()));
            }
        }
    }

    /** True once the handshake is complete; otherwise it waits for the socket or for workers. */
    private boolean handshake(long now) {
        TlsConnection.Need need;
        try {
            need = tls.handshake();
        } catch (IOException | RuntimeException e) {
            finish(PortState.OPEN, ProbeReason.TLS_FAILED, now, TlsConnection.failure(e));
            return false;
        }
        switch (need) {
            case READ -> key.interestOps(SelectionKey.OP_READ);
            case WRITE -> key.interestOps(SelectionKey.OP_WRITE);
            case TASKS -> {
                key.interestOps(0);
                offload(tls::runDelegatedTasks, () -> advance(System.nanoTime()));
            }
            case NOTHING -> {
                tlsDetail = tls.describe();
                if (request().tlsMinDays() > 0 && expiring(now)) {
                    return false;
                }
                phase = Phase.SENDING;
                return true;
            }
        }
        return false;
    }

    /**
     * True after finishing with CERT_EXPIRING when the certificate expires within tls_min_days.
     * The verdict comes before any send or banner: the check already failed what it declared.
     */
    private boolean expiring(long now) {
        String expiring;
        try {
            expiring = tls.expiringWithin(request().tlsMinDays(), Instant.now());
        } catch (IOException | RuntimeException e) {
            finish(PortState.OPEN, ProbeReason.TLS_FAILED, now, TlsConnection.failure(e));
            return true;
        }
        if (expiring == null) {
            return false;
        }
        finish(PortState.OPEN, ProbeReason.CERT_EXPIRING, now, detail(expiring));
        return true;
    }

    private boolean writePlain() throws IOException {
        while (toSend.hasRemaining()) {
            if (channel.write(toSend) == 0) {
                return false;
            }
        }
        return true;
    }

    private void receive() throws IOException {
        ByteBuffer buffer = receiveBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            buffer.clear().limit(Math.min(buffer.capacity(), banner.room()));
            int n = tls != null ? tls.read(buffer) : channel.read(buffer);
            long now = System.nanoTime();
            if (n == 0) {
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            if (n < 0) {
                finish(PortState.OPEN, ProbeReason.BANNER_MISMATCH, now,
                        detail("connection closed after " + banner.length() + " bytes: " + banner.quoted()));
                return;
            }
            banner.append(buffer.flip());
            if (banner.matches()) {
                finish(PortState.OPEN, ProbeReason.CONNECTED, now, detail("banner " + banner.quoted()));
                return;
            }
            if (banner.isFull()) {
                finish(PortState.OPEN, ProbeReason.BANNER_MISMATCH, now,
                        detail("no match in the first " + Banner.MAX_BYTES + " bytes: " + banner.quoted()));
                return;
            }
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    @Override
    protected void onDeadline(long nowNanos) {
        String within = " within " + timeoutMillis() + " ms";
        switch (phase) {
            // A dropped SYN looks exactly like a slow host: say only that nothing answered in time.
            case CONNECTING -> finish(PortState.FILTERED, ProbeReason.TIMEOUT, nowNanos, noAnswer(timeoutMillis()));
            case HANDSHAKING -> finish(PortState.OPEN, ProbeReason.TLS_FAILED, nowNanos,
                    "TLS handshake did not complete" + within);
            case SENDING -> finish(PortState.OPEN, banner == null ? ProbeReason.CONNECTED : ProbeReason.BANNER_MISMATCH,
                    nowNanos, detail("sent " + toSend.position() + " of " + toSend.limit() + " bytes" + within));
            case RECEIVING -> finish(PortState.OPEN, ProbeReason.BANNER_MISMATCH, nowNanos, detail(banner.length() == 0
                    ? "no banner" + within
                    : "no match" + within + " in " + banner.length() + " bytes: " + banner.quoted()));
        }
    }

    /** The detail of a connect that saw no answer; the FFM path ({@link EpollConnectProbe}) says the same. */
    static String noAnswer(long timeoutMillis) {
        return "no answer within " + timeoutMillis + " ms";
    }

    private String sentText() {
        return toSend.limit() == 0 ? "" : "sent " + toSend.limit() + " bytes";
    }

    /** The TLS session (if any) and what happened after it. */
    private String detail(String what) {
        if (tlsDetail.isEmpty() || what.isEmpty()) {
            return tlsDetail + what;
        }
        return tlsDetail + "; " + what;
    }

    @Override
    protected void release() {
        if (channel != null) {
            try {
                channel.close(); // with SO_LINGER 0: RST, no TIME_WAIT
            } catch (IOException ignored) {
                // Nothing to report: the result is already decided.
            }
        }
    }
}
