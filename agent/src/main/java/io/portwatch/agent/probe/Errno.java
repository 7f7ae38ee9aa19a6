package io.portwatch.agent.probe;

import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * Linux errno values of a TCP connect, as the FFM connect path sees them, mapped to the same state,
 * reason and detail the NIO path gets for them. Parity is by construction: for each errno this
 * builds the exception the JDK's NIO throws for it (sun.nio.ch's handleSocketError: its type, and
 * strerror's text as the message) once, and asks {@link IoErrorClassifier} for the verdict. So a
 * change to the classifier changes both paths alike, and the hot path is an array lookup.
 */
public final class Errno {

    private static final int MAX = 256;
    private static final String[] TEXT = new String[MAX];
    private static final IoErrorClassifier.Verdict[] TCP_VERDICT = new IoErrorClassifier.Verdict[MAX];

    static {
        // glibc's strerror texts: what the JDK puts in the exception message.
        text(1, "Operation not permitted"); // EPERM
        text(12, "Cannot allocate memory"); // ENOMEM
        text(13, "Permission denied"); // EACCES
        text(23, "Too many open files in system"); // ENFILE
        text(24, "Too many open files"); // EMFILE
        text(64, "Machine is not on the network"); // ENONET
        text(71, "Protocol error"); // EPROTO
        text(97, "Address family not supported by protocol"); // EAFNOSUPPORT
        text(98, "Address already in use"); // EADDRINUSE
        text(99, "Cannot assign requested address"); // EADDRNOTAVAIL
        text(100, "Network is down"); // ENETDOWN
        text(101, "Network is unreachable"); // ENETUNREACH
        text(103, "Software caused connection abort"); // ECONNABORTED
        text(104, "Connection reset by peer"); // ECONNRESET
        text(105, "No buffer space available"); // ENOBUFS
        text(107, "Transport endpoint is not connected"); // ENOTCONN
        text(110, "Connection timed out"); // ETIMEDOUT
        text(111, "Connection refused"); // ECONNREFUSED
        text(112, "Host is down"); // EHOSTDOWN
        text(113, "No route to host"); // EHOSTUNREACH
        for (int e = 0; e < MAX; e++) {
            TCP_VERDICT[e] = IoErrorClassifier.classify(Protocol.TCP, exceptionFor(e));
        }
    }

    private Errno() {
    }

    private static void text(int errno, String text) {
        TEXT[errno] = text;
    }

    /** strerror's text for the errno values a connect meets; "errno N" for the others. */
    public static String text(int errno) {
        String t = errno >= 0 && errno < MAX ? TEXT[errno] : null;
        return t != null ? t : "errno " + errno;
    }

    /** The verdict the NIO path gives a TCP connect that failed with this errno. */
    public static IoErrorClassifier.Verdict tcpConnect(int errno) {
        return errno >= 0 && errno < MAX ? TCP_VERDICT[errno] : IoErrorClassifier.classify(Protocol.TCP, exceptionFor(errno));
    }

    /** The exception sun.nio.ch throws for a connect that failed with this errno (Net.c, handleSocketError). */
    static IOException exceptionFor(int errno) {
        String m = text(errno);
        return switch (errno) {
            case 111, 110, 107 -> new ConnectException(m); // ECONNREFUSED, ETIMEDOUT, ENOTCONN
            case 113 -> new NoRouteToHostException(m); // EHOSTUNREACH
            case 98, 99, 13 -> new BindException(m); // EADDRINUSE, EADDRNOTAVAIL, EACCES
            default -> new SocketException(m);
        };
    }
}
