package io.portwatch.agent.probe;

/**
 * What a probe learned about a port, in nmap's vocabulary. {@link #ERROR} means the agent itself
 * could not probe (DNS failure, no local ports, ...), which says nothing about the port.
 */
public enum ProbeState {
    OPEN,
    CLOSED,
    FILTERED,
    /** UDP silence: the port is open and silent, or a firewall dropped the datagram. Never "up". */
    OPEN_FILTERED,
    ERROR,
    /**
     * Not known: a UDP silence that cannot be told from the target's ICMP rate limit (reason
     * ICMP_RATE_LIMITED). Not even OPEN_FILTERED, which claims the datagram had its chance: neither
     * healthy nor unhealthy, and not a change of the port's state.
     */
    UNKNOWN
}
