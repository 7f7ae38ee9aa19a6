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
    ERROR
}
