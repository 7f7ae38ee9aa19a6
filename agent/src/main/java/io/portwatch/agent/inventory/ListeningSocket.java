package io.portwatch.agent.inventory;

import io.portwatch.core.check.Protocol;
import io.portwatch.core.net.BindScope;
import io.portwatch.core.net.IpText;
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

    public BindScope scope() {
        return BindScope.of(address.getAddress());
    }

    /** {@code 127.0.0.1:22}, {@code [::]:443}: address and port, as ss prints them. */
    public String local() {
        return IpText.withPort(addressText(), port);
    }

    /** The address as text, IPv6 in its compressed form ({@code ::1}, {@code ::ffff:127.0.0.1}). */
    public String addressText() {
        return IpText.of(address);
    }
}
