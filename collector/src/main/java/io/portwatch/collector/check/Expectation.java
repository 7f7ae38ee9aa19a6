package io.portwatch.collector.check;

import java.util.Set;

/**
 * What the operator expects of a port; decides whether a result is healthy.
 *
 * <p>The rule is kept identical to the agent's copy,
 * {@code agent/src/main/java/io/portwatch/agent/config/Expectation.java} (a module shared by both
 * apps is issue 17's job): change both together. Here the reason is the kebab-case text the
 * ingest stores (ProtoMapping.reason), there it is the agent's enum.
 */
public enum Expectation {
    OPEN,
    /** Exposure check: CLOSED and FILTERED both satisfy it. */
    CLOSED;

    /** The reasons by which an OPEN port failed what the check asked beyond the connect. */
    private static final Set<String> FAILED_DECLARED_EXCHANGE = Set.of("banner-mismatch", "tls-failed", "cert-expiring");

    /**
     * Health follows everything the check declared, not only the socket. The state stays the
     * socket's fact (a port that accepted the connection is OPEN), but a check that asked for a
     * banner, for TLS or for a certificate valid for tls_min_days more days is healthy only when it
     * got it: banner-mismatch, tls-failed and cert-expiring are unhealthy for {@code expect: open}.
     * For {@code expect: closed} only the state matters: an answering port is the exposure.
     * A result whose state is UNKNOWN (a silence hidden by the target's ICMP rate limit) is
     * {@link Health#UNKNOWN} for both.
     */
    public Health health(PortState state, String reason) {
        if (state == PortState.UNKNOWN) {
            return Health.UNKNOWN;
        }
        boolean healthy = switch (this) {
            case OPEN -> state == PortState.OPEN && !FAILED_DECLARED_EXCHANGE.contains(reason);
            case CLOSED -> state == PortState.CLOSED || state == PortState.FILTERED;
        };
        return healthy ? Health.HEALTHY : Health.UNHEALTHY;
    }
}
