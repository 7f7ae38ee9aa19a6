package io.portwatch.collector.check;

/**
 * nmap's port states, plus ERROR when the agent itself could not probe, and UNKNOWN when the probe
 * cannot tell (a UDP silence that cannot be told from the target's ICMP rate limit, reason
 * icmp-rate-limited). UNKNOWN is last: rollups and uptime count the other five by ordinal.
 */
public enum PortState {
    OPEN,
    CLOSED,
    FILTERED,
    OPEN_FILTERED,
    ERROR,
    UNKNOWN
}
