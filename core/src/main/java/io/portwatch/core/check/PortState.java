package io.portwatch.core.check;

/**
 * What a probe learned about a port, in nmap's vocabulary. {@link #ERROR} means the agent itself
 * could not probe (DNS failure, no local ports, ...), which says nothing about the port.
 * {@link #UNKNOWN} is last: the collector's rollups and uptime count the other five by ordinal.
 */
public enum PortState {
    OPEN(1),
    CLOSED(2),
    FILTERED(3),
    /** UDP silence: the port is open and silent, or a firewall dropped the datagram. Never "up". */
    OPEN_FILTERED(4),
    ERROR(5),
    /**
     * Not known: a UDP silence that cannot be told from the target's ICMP rate limit (reason
     * icmp-rate-limited). Not even OPEN_FILTERED, which claims the datagram had its chance: neither
     * healthy nor unhealthy, and not a change of the port's state.
     */
    UNKNOWN(6);

    /** By protocol number; every result asks for one. */
    private static final PortState[] BY_PROTO = new PortState[7];

    static {
        for (PortState s : values()) {
            BY_PROTO[s.proto] = s;
        }
    }

    private final int proto;

    PortState(int proto) {
        this.proto = proto;
    }

    /** Its number in the protocol's {@code portwatch.v1.PortState}. */
    public int proto() {
        return proto;
    }

    /** The state a {@code portwatch.v1.PortState} number names; null for STATE_UNSPECIFIED or a number unknown here. */
    public static PortState fromProto(int number) {
        return number >= 0 && number < BY_PROTO.length ? BY_PROTO[number] : null;
    }
}
