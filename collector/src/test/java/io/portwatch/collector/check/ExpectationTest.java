package io.portwatch.collector.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import io.portwatch.proto.v1.Reason;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The health rule (core's Expectation) over every state and every reason the protocol has, as the
 * ingest names it (kebab-case). The agent's ExpectationTest runs the same table over the agent's
 * reasons.
 */
class ExpectationTest {

    /** What an OPEN port failed of what its check declared. */
    private static final Set<String> FAILED_DECLARED = Set.of("banner-mismatch", "tls-failed", "cert-expiring");

    private static String text(Reason r) {
        return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Test
    void openIsHealthyOnlyWhenOpenWithEverythingDeclared() {
        for (PortState state : PortState.values()) {
            for (Reason reason : Reason.values()) {
                if (reason == Reason.UNRECOGNIZED) {
                    continue;
                }
                Health expected = state == PortState.UNKNOWN ? Health.UNKNOWN
                        : state == PortState.OPEN && !FAILED_DECLARED.contains(text(reason)) ? Health.HEALTHY : Health.UNHEALTHY;
                assertEquals(expected, Expectation.OPEN.health(state, text(reason)), state + " / " + reason);
            }
        }
        assertEquals(Health.HEALTHY, Expectation.OPEN.health(PortState.OPEN, "unknown"), "a reason this collector does not know");
    }

    @Test
    void closedFollowsTheStateOnly() {
        for (PortState state : PortState.values()) {
            for (Reason reason : Reason.values()) {
                if (reason == Reason.UNRECOGNIZED) {
                    continue;
                }
                Health expected = state == PortState.UNKNOWN ? Health.UNKNOWN
                        : state == PortState.CLOSED || state == PortState.FILTERED ? Health.HEALTHY : Health.UNHEALTHY;
                assertEquals(expected, Expectation.CLOSED.health(state, text(reason)), state + " / " + reason);
            }
        }
    }

    /** Every protocol state has a collector state: UNKNOWN is stored, not refused. */
    @Test
    void everyProtocolStateIsACollectorState() {
        for (io.portwatch.proto.v1.PortState p : io.portwatch.proto.v1.PortState.values()) {
            if (p != io.portwatch.proto.v1.PortState.STATE_UNSPECIFIED && p != io.portwatch.proto.v1.PortState.UNRECOGNIZED) {
                assertEquals(p.name(), PortState.valueOf(p.name()).name());
            }
        }
    }

    /** The names the rule lists exist in the protocol: a renamed reason must not slip out of it. */
    @Test
    void theFailedReasonsAreProtocolReasons() {
        assertEquals(FAILED_DECLARED, Set.of(text(Reason.BANNER_MISMATCH), text(Reason.TLS_FAILED),
                text(Reason.CERT_EXPIRING)));
    }
}
