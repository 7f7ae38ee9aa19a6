package io.portwatch.agent.inventory;

import io.portwatch.core.check.Protocol;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One socket that waits for traffic on this host: a TCP socket in LISTEN, or a UDP socket that is
 * bound and not connected. Read from {@code /proc/net/{tcp,tcp6,udp,udp6}}.
 *
 * @param protocol TCP or UDP
 * @param family the table it came from: an IPv6 socket bound to {@code ::} may also take IPv4
 *     (unless {@code IPV6_V6ONLY}), which {@code /proc} does not say
 * @param address the local address as bound; an IPv4-mapped IPv6 address stays IPv6 here
 * @param port the local port
 * @param uid the owner's user id, as the kernel records it
 * @param inode the socket's inode, by which its process is found
 * @param owner the process holding it, when {@code /proc/<pid>/fd} could be read
 */
public record ListeningSocket(Protocol protocol, Family family, InetAddress address, int port, int uid, long inode,
        Owner owner) {

    /** The address family of the {@code /proc/net} table a socket was listed in. */
    public enum Family {
        IPV4("4"),
        IPV6("6");

        private final String suffix;

        Family(String suffix) {
            this.suffix = suffix;
        }

        /** {@code tcp}, {@code udp6}: how ss and netstat name a socket's protocol and family. */
        public String netid(Protocol protocol) {
            return protocol.id() + (this == IPV6 ? suffix : "");
        }
    }

    /** Where a socket can be reached from, by the address it is bound to. */
    public enum Scope {
        /** {@code 0.0.0.0} or {@code ::}: every address of the host. */
        WILDCARD,
        /** {@code 127.0.0.0/8}, {@code ::1} or {@code ::ffff:127.x.y.z}: only from this host. */
        LOOPBACK,
        /** One address of the host, reachable from wherever that address is routed. */
        ADDRESS
    }

    /** Who holds a socket. */
    public sealed interface Owner {
        /** A process found by the socket's inode among {@code /proc/<pid>/fd}. */
        record Process(long pid, String command) implements Owner {}

        /** Not found: {@code /proc/<pid>/fd} of other users needs root, or the process has exited since. */
        record Unknown() implements Owner {}

        Owner UNKNOWN = new Unknown();
    }

    public ListeningSocket withOwner(Owner newOwner) {
        return new ListeningSocket(protocol, family, address, port, uid, inode, newOwner);
    }

    public Scope scope() {
        byte[] a = address.getAddress();
        if (address.isAnyLocalAddress() || mappedV4(a) && a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 0) {
            return Scope.WILDCARD;
        }
        if (address.isLoopbackAddress() || mappedV4(a) && a[12] == 127) {
            return Scope.LOOPBACK;
        }
        return Scope.ADDRESS;
    }

    /** {@code 127.0.0.1:22}, {@code [::]:443}: address and port, as ss prints them. */
    public String local() {
        return (address instanceof Inet6Address ? "[" + addressText() + "]" : addressText()) + ":" + port;
    }

    /** The address as text, IPv6 in its compressed form ({@code ::1}, {@code ::ffff:127.0.0.1}). */
    public String addressText() {
        return address instanceof Inet6Address ? ipv6Text(address.getAddress()) : address.getHostAddress();
    }

    private static boolean mappedV4(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The compressed text form ({@code ::1}, {@code ::ffff:127.0.0.1}), not Java's full {@code 0:0:0:0:0:0:0:1}. */
    static String ipv6Text(byte[] a) {
        if (mappedV4(a)) {
            return "::ffff:" + (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        // The longest run of two or more zero words becomes "::" (RFC 5952).
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(words[i]));
        }
        return b.toString();
    }
}
