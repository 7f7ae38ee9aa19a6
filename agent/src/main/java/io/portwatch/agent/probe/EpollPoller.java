package io.portwatch.agent.probe;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * The FFM connect path's epoll set ({@link ConnectPath#FFM_EPOLL}): plain TCP connects in flight,
 * plus an eventfd that {@link SelectorLoop#wakeUp} writes. Selector thread only, except
 * {@link #wake}.
 *
 * <p>Two waits, one thread. While only FFM connects are in flight the loop blocks in epoll_wait on
 * this set and never touches the NIO selector. While NIO probes (UDP, TLS, banners) are in flight
 * too, it blocks in the NIO selector, and a bridge thread watches this set (nested in an epoll of its
 * own, EPOLLONESHOT, re-armed by the loop before each select) and wakes the selector when a connect
 * finishes. The JDK gives no public way to put a foreign fd into its selector or its epoll fd into
 * ours, so the bridge thread is the price of mixing; it starts on the first mixed wait.
 */
public final class EpollPoller {

    private static final Logger LOG = Logger.getLogger(EpollPoller.class);
    /** Events taken per epoll_wait, as the C prober. */
    private static final int MAX_EVENTS = 256;
    private static final long WAKE_TOKEN = -1L;

    /** Receives one ready connect; see {@link SelectorLoop}. */
    interface Ready {
        void ready(InFlightProbe probe, int events);
    }

    private final int epfd;
    private final int wakeFd;
    private final ByteBuffer events = NativeSyscalls.allocate(MAX_EVENTS * NativeSyscalls.EPOLL_EVENT_SIZE);
    private final long eventsAddress = NativeSyscalls.address(events);
    /** sockaddr_in6 is the larger: 28 bytes. */
    private final ByteBuffer sockaddr = NativeSyscalls.allocate(32);
    private final long sockaddrAddress = NativeSyscalls.address(sockaddr);
    /** linger {1, 0}; then SO_ERROR's int and its socklen_t; one epoll_event for epoll_ctl. */
    private final ByteBuffer scratch = NativeSyscalls.allocate(32);
    private final long scratchAddress = NativeSyscalls.address(scratch);
    private final ByteBuffer one = NativeSyscalls.allocate(8);
    private final long oneAddress = NativeSyscalls.address(one);
    private final ByteBuffer drain = NativeSyscalls.allocate(8);
    private final long drainAddress = NativeSyscalls.address(drain);

    private InFlightProbe[] byFd = new InFlightProbe[1024];
    private int[] generationByFd = new int[1024];
    private int generation;
    private int registered;

    private Bridge bridge;
    private final Object wakeLock = new Object();
    private volatile boolean closed;

    private EpollPoller(int epfd, int wakeFd) {
        this.epfd = epfd;
        this.wakeFd = wakeFd;
        one.putLong(0, 1L);
        scratch.putInt(0, 1); // l_onoff
        scratch.putInt(4, 0); // l_linger: close sends RST, leaves no TIME_WAIT (as the NIO path)
    }

    static EpollPoller open() throws IOException {
        try {
            int epfd = NativeSyscalls.epollCreate1(NativeSyscalls.EPOLL_CLOEXEC);
            if (epfd < 0) {
                throw new IOException("epoll_create1: " + Errno.text(NativeSyscalls.errno()));
            }
            int wakeFd = NativeSyscalls.eventfd(0, NativeSyscalls.EFD_NONBLOCK | NativeSyscalls.EFD_CLOEXEC);
            if (wakeFd < 0) {
                int errno = NativeSyscalls.errno();
                NativeSyscalls.close(epfd);
                throw new IOException("eventfd: " + Errno.text(errno));
            }
            EpollPoller p = new EpollPoller(epfd, wakeFd);
            int r = p.ctl(epfd, NativeSyscalls.EPOLL_CTL_ADD, wakeFd, NativeSyscalls.EPOLLIN, WAKE_TOKEN);
            if (r != 0) {
                p.close();
                throw new IOException("epoll_ctl(eventfd): " + Errno.text(r));
            }
            return p;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("epoll set: " + t, t);
        }
    }

    // ---- for EpollConnectProbe (selector thread) ------------------------------------------

    /**
     * socket(SOCK_NONBLOCK|SOCK_CLOEXEC) and SO_LINGER 0. Returns the fd, or {@code -errno}.
     */
    public int socket(InetSocketAddress target) throws Throwable {
        int family = target.getAddress() instanceof Inet6Address ? NativeSyscalls.AF_INET6 : NativeSyscalls.AF_INET;
        int fd = NativeSyscalls.socket(family,
                NativeSyscalls.SOCK_STREAM | NativeSyscalls.SOCK_NONBLOCK | NativeSyscalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -NativeSyscalls.errno();
        }
        if (NativeSyscalls.setsockopt(fd, NativeSyscalls.SOL_SOCKET, NativeSyscalls.SO_LINGER, scratchAddress, 8) != 0) {
            int errno = NativeSyscalls.errno();
            NativeSyscalls.close(fd);
            return -errno;
        }
        return fd;
    }

    /** connect(2): 0 when connected at once, otherwise its errno (EINPROGRESS: pending). */
    public int connect(int fd, InetSocketAddress target) throws Throwable {
        int length = writeSockaddr(target);
        return NativeSyscalls.connect(fd, sockaddrAddress, length) == 0 ? 0 : NativeSyscalls.errno();
    }

    /** Waits for the connect on {@code fd} to finish (EPOLLOUT, once). Returns 0 or an errno. */
    public int register(InFlightProbe probe, int fd) throws Throwable {
        if (fd >= byFd.length) {
            int size = Math.max(fd + 1, byFd.length * 2);
            byFd = Arrays.copyOf(byFd, size);
            generationByFd = Arrays.copyOf(generationByFd, size);
        }
        int gen = ++generation;
        long token = ((long) gen << 32) | (fd & 0xFFFFFFFFL);
        int r = ctl(epfd, NativeSyscalls.EPOLL_CTL_ADD, fd, NativeSyscalls.EPOLLOUT | NativeSyscalls.EPOLLONESHOT, token);
        if (r == 0) {
            byFd[fd] = probe;
            generationByFd[fd] = gen;
            registered++;
        }
        return r;
    }

    /** getsockopt(SO_ERROR): 0 when the connect succeeded, otherwise its errno. */
    public int connectError(int fd) throws Throwable {
        scratch.putInt(8, 0);
        scratch.putInt(12, 4);
        if (NativeSyscalls.getsockopt(fd, NativeSyscalls.SOL_SOCKET, NativeSyscalls.SO_ERROR,
                scratchAddress + 8, scratchAddress + 12) != 0) {
            return NativeSyscalls.errno();
        }
        return scratch.getInt(8);
    }

    /** Closes the socket (RST with SO_LINGER 0); closing also takes it out of the epoll set. */
    public void close(int fd) {
        if (fd < byFd.length && byFd[fd] != null) {
            byFd[fd] = null;
            registered--;
        }
        try {
            NativeSyscalls.close(fd);
        } catch (Throwable t) {
            LOG.debugf(t, "closing fd %d", fd);
        }
    }

    // ---- for SelectorLoop -----------------------------------------------------------------

    /** Connects waiting in the epoll set. */
    int registered() {
        return registered;
    }

    /**
     * One epoll_wait ({@code timeoutMillis}: -1 forever, 0 not at all); hands each finished connect
     * to {@code ready}. A wake-up only drains the eventfd. Returns the connects handed over.
     */
    int poll(int timeoutMillis, Ready ready) throws IOException {
        int n;
        int handed = 0;
        try {
            n = NativeSyscalls.epollWait(epfd, eventsAddress, MAX_EVENTS, timeoutMillis);
            if (n < 0) {
                int errno = NativeSyscalls.errno();
                if (errno == NativeSyscalls.EINTR) {
                    return 0;
                }
                throw new IOException("epoll_wait: " + Errno.text(errno));
            }
            for (int i = 0; i < n; i++) {
                int base = i * NativeSyscalls.EPOLL_EVENT_SIZE;
                int ev = events.getInt(base);
                long token = events.getLong(base + NativeSyscalls.EPOLL_DATA_OFFSET);
                if (token == WAKE_TOKEN) {
                    NativeSyscalls.read(wakeFd, drainAddress, 8);
                    continue;
                }
                int fd = (int) token;
                InFlightProbe probe = fd >= 0 && fd < byFd.length ? byFd[fd] : null;
                if (probe != null && generationByFd[fd] == (int) (token >>> 32)) {
                    ready.ready(probe, ev);
                    handed++;
                }
            }
            return handed;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("epoll_wait: " + t, t);
        }
    }

    /**
     * Before the loop blocks in the NIO selector while connects are in flight: makes sure the
     * selector wakes when this set becomes ready.
     */
    void armBridge(Selector selector) throws IOException {
        if (bridge == null) {
            bridge = new Bridge(selector);
        }
        bridge.arm();
    }

    /**
     * Wakes {@link #poll}; any thread. Locked against {@link #close}: a write after the close could
     * land on whatever reused the eventfd's number. Uncontended: at most once per loop iteration.
     */
    void wake() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            try {
                NativeSyscalls.writeFromAnyThread(wakeFd, oneAddress, 8);
            } catch (Throwable t) {
                LOG.debug("waking the epoll loop", t);
            }
        }
    }

    /** Closes the set; connects still in it were closed by their probes. Selector thread. */
    void close() {
        synchronized (wakeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (bridge != null) {
            bridge.stop();
        }
        try {
            NativeSyscalls.close(wakeFd);
            NativeSyscalls.close(epfd);
        } catch (Throwable t) {
            LOG.debug("closing the epoll set", t);
        }
    }

    private int ctl(int onEpfd, int op, int fd, int eventMask, long token) throws Throwable {
        scratch.putInt(16, eventMask);
        scratch.putLong(16 + NativeSyscalls.EPOLL_DATA_OFFSET, token);
        return NativeSyscalls.epollCtl(onEpfd, op, fd, scratchAddress + 16) == 0 ? 0 : NativeSyscalls.errno();
    }

    private int writeSockaddr(InetSocketAddress target) {
        InetAddress address = target.getAddress();
        int port = target.getPort();
        byte[] ip = address.getAddress();
        ByteBuffer s = sockaddr;
        s.put(2, (byte) (port >>> 8)).put(3, (byte) port); // network byte order
        if (address instanceof Inet4Address) {
            s.putShort(0, (short) NativeSyscalls.AF_INET);
            s.put(4, ip[0]).put(5, ip[1]).put(6, ip[2]).put(7, ip[3]);
            s.putLong(8, 0L);
            return 16;
        }
        s.putShort(0, (short) NativeSyscalls.AF_INET6);
        s.putInt(4, 0); // flow info
        for (int i = 0; i < 16; i++) {
            s.put(8 + i, ip[i]);
        }
        s.putInt(24, ((Inet6Address) address).getScopeId());
        return 28;
    }

    /**
     * The thread that wakes the NIO selector for this set while the loop blocks there (see the class
     * comment). It uses only calls that do not capture errno: the loop's errno word is the loop's.
     */
    private final class Bridge implements Runnable {
        private final Selector selector;
        private final int nestFd;
        private final Thread thread;
        private final ByteBuffer event = NativeSyscalls.allocate(NativeSyscalls.EPOLL_EVENT_SIZE);
        private final long eventAddress = NativeSyscalls.address(event);
        private boolean added;

        Bridge(Selector selector) throws IOException {
            this.selector = selector;
            try {
                nestFd = NativeSyscalls.epollCreate1(NativeSyscalls.EPOLL_CLOEXEC);
            } catch (Throwable t) {
                throw new IOException("epoll_create1: " + t, t);
            }
            if (nestFd < 0) {
                throw new IOException("epoll_create1: " + Errno.text(NativeSyscalls.errno()));
            }
            thread = new Thread(this, "portwatch-probe-epoll-bridge");
            thread.setDaemon(true);
            thread.start();
        }

        /** Selector thread: one wake-up of the selector when the connect set is next ready. */
        void arm() throws IOException {
            int op = added ? NativeSyscalls.EPOLL_CTL_MOD : NativeSyscalls.EPOLL_CTL_ADD;
            int r;
            try {
                r = ctl(nestFd, op, epfd, NativeSyscalls.EPOLLIN | NativeSyscalls.EPOLLONESHOT, 0L);
            } catch (Throwable t) {
                throw new IOException("epoll_ctl(bridge): " + t, t);
            }
            if (r != 0) {
                throw new IOException("epoll_ctl(bridge): " + Errno.text(r));
            }
            added = true;
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    if (NativeSyscalls.epollWaitAnyThread(nestFd, eventAddress, 1, -1) > 0 && !closed) {
                        selector.wakeup();
                    }
                }
            } catch (Throwable t) {
                LOG.error("the epoll bridge failed; probes in flight may wait for their deadline", t);
            }
        }

        void stop() {
            // closed is set: arm once more and make the set ready, so the bridge returns and exits.
            try {
                arm();
            } catch (IOException e) {
                LOG.debug("arming the bridge to stop it", e);
            }
            try {
                NativeSyscalls.writeFromAnyThread(wakeFd, oneAddress, 8);
                thread.join(1_000);
                if (!thread.isAlive()) {
                    NativeSyscalls.close(nestFd); // never under a thread still waiting on it
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                LOG.debug("stopping the epoll bridge", t);
            }
        }
    }
}
