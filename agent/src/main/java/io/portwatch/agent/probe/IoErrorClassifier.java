package io.portwatch.agent.probe;

import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Locale;

/**
 * Maps the IOException a connect, send or read failed with to a probe state and reason.
 *
 * <p>The JVM cannot see ICMP types and codes, only the errno text the kernel chose for them (see
 * build-notes, "What the JVM reports for each port state"). So the mapping is by exception type
 * first and message second: refused and port-unreachable mean CLOSED; the unreachable family means
 * FILTERED with the closest reason. Anything unrecognised is reported as the agent's own ERROR
 * rather than guessed to be FILTERED: a result must never claim more than is known.
 */
public final class IoErrorClassifier {

    /** The state and reason an error stands for. */
    public record Verdict(PortState state, ProbeReason reason) {
    }

    private static final Verdict REFUSED = new Verdict(PortState.CLOSED, ProbeReason.REFUSED);
    private static final Verdict PORT_UNREACHABLE =
            new Verdict(PortState.CLOSED, ProbeReason.PORT_UNREACHABLE);
    private static final Verdict NO_ROUTE = new Verdict(PortState.FILTERED, ProbeReason.NO_ROUTE);
    private static final Verdict HOST_UNREACHABLE =
            new Verdict(PortState.FILTERED, ProbeReason.HOST_UNREACHABLE);
    private static final Verdict ADMIN_PROHIBITED =
            new Verdict(PortState.FILTERED, ProbeReason.ADMIN_PROHIBITED);
    private static final Verdict TIMEOUT = new Verdict(PortState.FILTERED, ProbeReason.TIMEOUT);
    private static final Verdict LOCAL_ERROR = new Verdict(PortState.ERROR, ProbeReason.LOCAL_ERROR);

    private IoErrorClassifier() {
    }

    public static Verdict classify(Protocol protocol, IOException e) {
        if (e instanceof PortUnreachableException) {
            return PORT_UNREACHABLE;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("connection refused")) {
            // ECONNREFUSED on a connected UDP socket is the ICMP port unreachable, not a TCP RST.
            return protocol == Protocol.TCP ? REFUSED : PORT_UNREACHABLE;
        }
        if (e instanceof NoRouteToHostException) {
            // EHOSTUNREACH, whose C library text is "No route to host": an ICMP host unreachable,
            // (IPv4) admin-prohibited or host-prohibited, or no neighbour answering ARP/ND. nmap
            // names it host-unreach; no-route is kept for ENETUNREACH (no route in the table).
            return HOST_UNREACHABLE;
        }
        if (m.contains("permission denied") || m.contains("operation not permitted")) {
            // EACCES: IPv6 admin-prohibited; EPERM: a local firewall rule rejected the packet.
            return ADMIN_PROHIBITED;
        }
        if (m.contains("no route to host") || m.contains("host is unreachable") || m.contains("host is down")
                || m.contains("not on the network")) {
            return HOST_UNREACHABLE; // EHOSTUNREACH, EHOSTDOWN (see above)
        }
        if (m.contains("network is unreachable") || m.contains("network is down")) {
            return NO_ROUTE; // ENETUNREACH, ENETDOWN: nmap's net-unreach
        }
        if (m.contains("timed out")) {
            return TIMEOUT;
        }
        // Too many open files, cannot assign requested address (no ephemeral ports), no buffer
        // space, closed channel, ...: the agent failed, nothing was learned about the port.
        return LOCAL_ERROR;
    }

    /** The detail text for a failure: its message, or its type when it has none. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
