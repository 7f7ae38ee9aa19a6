package io.portwatch.agent.probe;

/**
 * How the engine makes a plain TCP connect probe (no TLS, no payload, no banner). Every other probe
 * (UDP, and TCP that talks after the connect) takes the NIO path whichever this is; both give the
 * same state, reason and detail for the same outcome.
 */
public enum ConnectPath {
    /**
     * socket, setsockopt(SO_LINGER), connect, epoll_ctl, a shared epoll_wait, getsockopt(SO_ERROR),
     * close: the C prober's syscalls, made through the Foreign Function &amp; Memory API
     * ({@link NativeSyscalls}). Linux on x86-64 or aarch64, Java 22 or later, native access enabled.
     */
    FFM_EPOLL("ffm-epoll"),
    /** JDK NIO: a SocketChannel on the engine's Selector. About 5 syscalls more per probe. */
    NIO("nio");

    /** Set to {@code nio} to keep the NIO path where the FFM path could run. */
    public static final String PROPERTY = "portwatch.probe.connect-path";

    private final String id;

    ConnectPath(String id) {
        this.id = id;
    }

    /** The label value: {@code ffm-epoll} or {@code nio}. */
    public String id() {
        return id;
    }

    /** The FFM path when this JVM can take it and {@value #PROPERTY} does not say nio. */
    public static ConnectPath detect() {
        if ("nio".equals(System.getProperty(PROPERTY))) {
            return NIO;
        }
        return NativeSyscalls.available() ? FFM_EPOLL : NIO;
    }

    /** Why {@link #detect()} gives NIO, for the start-up log line; empty when it gives FFM_EPOLL. */
    public static String whyNio() {
        if ("nio".equals(System.getProperty(PROPERTY))) {
            return PROPERTY + "=nio";
        }
        return NativeSyscalls.available() ? "" : NativeSyscalls.UNAVAILABLE;
    }
}
