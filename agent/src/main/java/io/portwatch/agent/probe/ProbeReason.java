package io.portwatch.agent.probe;

/** Why a probe result has its state; users filter on these. */
public enum ProbeReason {
    /** TCP handshake completed. */
    CONNECTED,
    /** TCP RST: nothing listens, or a firewall rejects with RST. */
    REFUSED,
    /** No answer before the deadline (TCP). */
    TIMEOUT,
    /** ICMP port unreachable on a connected UDP channel. */
    PORT_UNREACHABLE,
    HOST_UNREACHABLE,
    NO_ROUTE,
    ADMIN_PROHIBITED,
    /** A UDP reply arrived. */
    REPLY,
    /** UDP silence until the deadline. */
    NO_REPLY,
    /** A UDP reply arrived but is not a valid answer to what we sent. */
    INVALID_REPLY,
    BANNER_MISMATCH,
    TLS_FAILED,
    DNS_FAILED,
    LOCAL_ERROR,
    /** TLS handshake completed, but the leaf certificate expires within the check's tls_min_days. */
    CERT_EXPIRING,
    /**
     * UDP silence that cannot be told apart from the target's ICMP rate limit: the host answered
     * other ports with port unreachable while this one stayed silent, through every re-probe the
     * engine could afford. The port may be closed; nothing proves it open or filtered.
     */
    ICMP_RATE_LIMITED;

    private final String id = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

    /**
     * Kebab-case name used in output and the API, e.g. {@code port-unreachable}; the reason text
     * {@link io.portwatch.core.check.Expectation#health} judges.
     */
    public String id() {
        return id;
    }
}
