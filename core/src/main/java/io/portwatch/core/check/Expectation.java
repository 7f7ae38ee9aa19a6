package io.portwatch.core.check;

import java.util.Set;

/** What the operator expects of a port, and so whether a result is healthy. */
public enum Expectation {
    OPEN(1),
    /** Exposure check: the port must not answer. CLOSED and FILTERED both satisfy it. */
    CLOSED(2);

    /** The reasons (kebab-case, as results carry them) by which an OPEN port failed what the check asked beyond the connect. */
    private static final Set<String> FAILED_DECLARED_EXCHANGE = Set.of("banner-mismatch", "tls-failed", "cert-expiring");

    private final int proto;

    Expectation(int proto) {
        this.proto = proto;
    }

    /**
     * Health follows everything the check declared, not only the socket. The state stays the
     * socket's fact (a port that accepted the connection is OPEN), but a check that asked for a
     * banner, for TLS or for a certificate valid for tls_min_days more days is healthy only when it
     * got it: banner-mismatch, tls-failed and cert-expiring are unhealthy for {@code expect: open}.
     * For {@code expect: closed} only the state matters: an answering port is the exposure.
     * A result whose state is UNKNOWN (a silence hidden by the target's ICMP rate limit) is
     * {@link Health#UNKNOWN} for both.
     *
     * @param reason the result's reason in kebab-case ({@code port-unreachable}); one not known
     *     here counts as no failed exchange
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

    /** Its number in the protocol's {@code portwatch.v1.Expectation}. */
    public int proto() {
        return proto;
    }

    /** The expectation a {@code portwatch.v1.Expectation} number names: EXPECT_CLOSED is CLOSED, anything else (unset included) OPEN. */
    public static Expectation fromProto(int number) {
        return number == CLOSED.proto ? CLOSED : OPEN;
    }
}
