package io.portwatch.agent.inventory;

import io.portwatch.agent.inventory.ListeningSocket.Family;
import io.portwatch.core.check.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one of {@code /proc/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6} into the sockets that
 * wait for traffic.
 *
 * <p>The kernel prints each address as the 32-bit words it holds in memory, in hexadecimal: on a
 * little-endian machine {@code 127.0.0.1} is {@code 0100007F}. The words are therefore read back in
 * the machine's own byte order. Ports are printed as numbers and need no such care.
 */
public final class ProcNetTable {

    /** {@code TCP_LISTEN} in {@code include/net/tcp_states.h}. */
    private static final int TCP_LISTEN = 0x0A;
    /** An address longer than IPv6's 32 digits, or a line longer than this, is not a /proc line. */
    private static final int MAX_LINE = 512;

    private final Protocol protocol;
    private final Family family;
    private final ByteOrder order;

    public ProcNetTable(Protocol protocol, Family family) {
        this(protocol, family, ByteOrder.nativeOrder());
    }

    /** With the byte order of the machine the table was captured on (fixtures of another machine). */
    ProcNetTable(Protocol protocol, Family family, ByteOrder order) {
        this.protocol = protocol;
        this.family = family;
        this.order = order;
    }

    /** The table's file name under {@code /proc/net}. */
    public String fileName() {
        return family.netid(protocol);
    }

    /**
     * The listening (TCP) or bound, unconnected (UDP) sockets among {@code lines}, the file's
     * content header included. A line that does not parse is an error naming the file and line:
     * the format is the kernel's, so a surprise is worth hearing about rather than skipping.
     */
    public List<ListeningSocket> parse(List<String> lines) {
        List<ListeningSocket> sockets = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) { // line 1 is the header
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                ListeningSocket s = socket(line);
                if (s != null) {
                    sockets.add(s);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("/proc/net/" + fileName() + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return sockets;
    }

    private ListeningSocket socket(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("line of " + line.length() + " characters, at most " + MAX_LINE);
        }
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
        if (f.length < 10) {
            throw new IllegalArgumentException("expected at least 10 fields, found " + f.length);
        }
        int state = Integer.parseInt(f[3], 16);
        boolean waiting = switch (protocol) {
            case TCP -> state == TCP_LISTEN;
            // A connected UDP socket has a remote port; an unconnected one, bound or not, has none.
            case UDP -> port(f[2]) == 0;
        };
        if (!waiting) {
            return null;
        }
        int port = port(f[1]);
        if (protocol == Protocol.UDP && port == 0) {
            return null; // not bound yet
        }
        return new ListeningSocket(protocol, family, address(f[1]), port, Integer.parseInt(f[7]),
                Long.parseLong(f[9]), ListeningSocket.Owner.UNKNOWN);
    }

    private static int port(String hostPort) {
        int colon = hostPort.indexOf(':');
        if (colon < 0 || hostPort.length() - colon - 1 != 4) {
            throw new IllegalArgumentException("address \"" + hostPort + "\" is not HEX:PORT");
        }
        return Integer.parseInt(hostPort.substring(colon + 1), 16);
    }

    private InetAddress address(String hostPort) {
        String hex = hostPort.substring(0, hostPort.indexOf(':'));
        int expected = family == Family.IPV4 ? 8 : 32;
        if (hex.length() != expected) {
            throw new IllegalArgumentException("address \"" + hex + "\" has " + hex.length() + " digits, expected " + expected);
        }
        ByteBuffer bytes = ByteBuffer.allocate(expected / 2).order(order);
        for (int w = 0; w < expected; w += 8) {
            bytes.putInt((int) Long.parseLong(hex.substring(w, w + 8), 16));
        }
        try {
            byte[] a = bytes.array();
            // getByAddress would turn ::ffff:a.b.c.d into an Inet4Address; the socket is IPv6 all the same.
            return family == Family.IPV6 ? java.net.Inet6Address.getByAddress(null, a, -1) : InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
