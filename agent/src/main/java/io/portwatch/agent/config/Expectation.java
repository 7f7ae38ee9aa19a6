package io.portwatch.agent.config;

import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeState;

/**
 * What the operator expects of a port, and so whether a result is healthy.
 *
 * <p>The rule is kept identical to the collector's copy,
 * {@code collector/src/main/java/io/portwatch/collector/check/Expectation.java} (a module shared by
 * both apps is issue 17's job): change both together.
 */
public enum Expectation {
    OPEN,
    /** Exposure check: the port must not answer. CLOSED and FILTERED both satisfy it. */
    CLOSED;

    /**
     * Health follows everything the check declared, not only the socket. The state stays the
     * socket's fact (a port that accepted the connection is OPEN), but a check that asked for a
     * banner, for TLS or for a certificate valid for tls_min_days more days is healthy only when it
     * got it: BANNER_MISMATCH, TLS_FAILED and CERT_EXPIRING are unhealthy for {@code expect: open}.
     * For {@code expect: closed} only the state matters: an answering port is the exposure.
     * A result whose state is UNKNOWN (a silence hidden by the target's ICMP rate limit) is
     * {@link Health#UNKNOWN} for both.
     */
    public Health health(ProbeState state, ProbeReason reason) {
        if (state == ProbeState.UNKNOWN) {
            return Health.UNKNOWN;
        }
        boolean healthy = switch (this) {
            case OPEN -> state == ProbeState.OPEN && !failsDeclaredExchange(reason);
            case CLOSED -> state == ProbeState.CLOSED || state == ProbeState.FILTERED;
        };
        return healthy ? Health.HEALTHY : Health.UNHEALTHY;
    }

    /** The reasons by which an OPEN port failed what the check asked beyond the connect. */
    private static boolean failsDeclaredExchange(ProbeReason reason) {
        return switch (reason) {
            case BANNER_MISMATCH, TLS_FAILED, CERT_EXPIRING -> true;
            case CONNECTED, REFUSED, TIMEOUT, PORT_UNREACHABLE, HOST_UNREACHABLE, NO_ROUTE, ADMIN_PROHIBITED,
                    REPLY, NO_REPLY, INVALID_REPLY, DNS_FAILED, LOCAL_ERROR, ICMP_RATE_LIMITED -> false;
        };
    }
}
