package io.portwatch.collector.finding;

import java.util.Locale;

/** What joining a host's listening sockets with other agents' checks of it can tell. */
public enum FindingKind {
    /** The host listens on the port where the prober could reach it, and the prober is refused or dropped: a firewall. */
    LISTENING_BUT_UNREACHABLE,
    /** The host listens on the port on loopback only, and a remote check expects it open: not down, misbound. */
    BOUND_TO_LOOPBACK_ONLY,
    /** The host listens on a reachable address on a port that no check of any agent covers. */
    REACHABLE_BUT_UNDECLARED,
    /** A check expects the port open, it is not, and the host has nothing bound to it: the service is down, not the network. */
    DECLARED_BUT_NOT_LISTENING;

    private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** {@code listening-but-unreachable}: as the API writes and filters it. */
    public String id() {
        return id;
    }
}
