package io.portwatch.agent.probe.tcp;

import io.portwatch.agent.probe.EpollPoller;
import io.portwatch.agent.probe.Errno;
import io.portwatch.agent.probe.InFlightProbe;
import io.portwatch.agent.probe.IoErrorClassifier;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeRequest;
import io.portwatch.core.check.PortState;
import java.io.IOException;
import java.nio.channels.SelectionKey;

/**
 * A plain TCP connect probe on the FFM connect path ({@code ConnectPath.FFM_EPOLL}): the same
 * outcomes as {@link TcpConnectProbe} without TLS, payload or banner, in the C prober's syscalls:
 * socket(SOCK_NONBLOCK), setsockopt(SO_LINGER 0), connect, epoll_ctl(ADD, EPOLLOUT|EPOLLONESHOT),
 * the loop's shared epoll_wait, getsockopt(SO_ERROR), close. Errors map through {@link Errno} to the
 * verdict and detail the NIO path gives the same errno.
 */
public final class EpollConnectProbe extends InFlightProbe {

    private static final int EINPROGRESS = 115;

    private EpollPoller epoll;
    private int fd = -1;

    public EpollConnectProbe(ProbeRequest request) {
        super(request);
        if (request.exchanges()) {
            throw new IllegalArgumentException("a connect probe with TLS, payload or banner takes the NIO path");
        }
    }

    @Override
    protected void start() throws IOException {
        epoll = epoll();
        try {
            int s = epoll.socket(request().address());
            if (s < 0) {
                // No file descriptors, ...: the agent's failure, as when SocketChannel.open throws.
                finish(PortState.ERROR, ProbeReason.LOCAL_ERROR, System.nanoTime(), Errno.text(-s));
                return;
            }
            fd = s;
            int errno = epoll.connect(fd, request().address());
            if (errno == 0) {
                finish(PortState.OPEN, ProbeReason.CONNECTED, System.nanoTime(), "");
                return;
            }
            if (errno != EINPROGRESS) {
                // Immediate failures: network unreachable, permission denied by a local rule, ...
                finishWithErrno(errno, System.nanoTime());
                return;
            }
            int r = epoll.register(this, fd);
            if (r != 0) {
                finish(PortState.ERROR, ProbeReason.LOCAL_ERROR, System.nanoTime(), "epoll_ctl: " + Errno.text(r));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    @Override
    protected void onEpollEvent(int events) throws IOException {
        long now = System.nanoTime();
        int errno;
        try {
            errno = epoll.connectError(fd);
        } catch (Throwable t) {
            throw new IOException(t);
        }
        if (errno == 0) {
            finish(PortState.OPEN, ProbeReason.CONNECTED, now, "");
        } else {
            finishWithErrno(errno, now);
        }
    }

    private void finishWithErrno(int errno, long now) {
        IoErrorClassifier.Verdict v = Errno.tcpConnect(errno);
        finish(v.state(), v.reason(), now, Errno.text(errno));
    }

    @Override
    protected void onReady(SelectionKey key) {
        throw new IllegalStateException("an epoll connect probe has no selection key");
    }

    @Override
    protected void onDeadline(long nowNanos) {
        finish(PortState.FILTERED, ProbeReason.TIMEOUT, nowNanos, TcpConnectProbe.noAnswer(timeoutMillis()));
    }

    @Override
    protected void release() {
        if (fd >= 0) {
            epoll.close(fd);
            fd = -1;
        }
    }
}
