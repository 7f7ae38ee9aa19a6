package io.portwatch.collector.check;

/** nmap's port states, plus ERROR when the agent itself could not probe. */
public enum PortState {
    OPEN,
    CLOSED,
    FILTERED,
    OPEN_FILTERED,
    ERROR
}
