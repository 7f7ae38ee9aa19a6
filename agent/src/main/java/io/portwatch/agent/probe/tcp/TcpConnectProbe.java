package io.portwatch.agent.probe.tcp;

import io.portwatch.agent.probe.InFlightProbe;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeRequest;
import io.portwatch.agent.probe.ProbeState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP connect probe: a non-blocking connect, then OP_CONNECT until the handshake completes, is
 * refused (RST: CLOSED), fails with an ICMP error (FILTERED) or the deadline passes (FILTERED,
 * nothing answered). The latency runs from the probe's start (socket creation, microseconds, then
 * the connect) to that outcome.
 *
 * <p>Close strategy: SO_LINGER 0, so closing sends a RST and leaves no TIME_WAIT socket. At high
 * probe rates a normal close fills the ephemeral port range with TIME_WAIT (measured: ~12 sockets
 * with RST against the whole range without). The probed service sees a reset instead of a clean
 * close; a connect probe never sends data, so nothing is lost.
 */
public final class TcpConnectProbe extends InFlightProbe {

    private SocketChannel channel;

    public TcpConnectProbe(ProbeRequest request) {
        super(request);
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
            finish(ProbeState.OPEN, ProbeReason.CONNECTED, System.nanoTime(), "");
            return;
        }
        channel.register(selector(), SelectionKey.OP_CONNECT, this);
    }

    @Override
    protected void onReady(SelectionKey key) {
        long now = System.nanoTime();
        try {
            if (channel.finishConnect()) {
                finish(ProbeState.OPEN, ProbeReason.CONNECTED, now, "");
            }
        } catch (IOException e) {
            // "Connection refused" -> CLOSED; no route / unreachable / prohibited -> FILTERED.
            finishWithError(e, now);
        }
    }

    @Override
    protected void onDeadline(long nowNanos) {
        // A dropped SYN looks exactly like a slow host: say only that nothing answered in time.
        finish(ProbeState.FILTERED, ProbeReason.TIMEOUT, nowNanos,
                "no answer within " + timeoutMillis() + " ms");
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
