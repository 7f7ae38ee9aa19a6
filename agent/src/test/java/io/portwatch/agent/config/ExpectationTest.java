package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The health rule (core's Expectation) over every state and every agent reason, as the agent
 * passes them (ProbeReason.id()). The collector's ExpectationTest runs the same table over the
 * protocol's reasons.
 */
class ExpectationTest {

    /** What an OPEN port failed of what its check declared. */
    private static final Set<ProbeReason> FAILED_DECLARED =
            EnumSet.of(ProbeReason.BANNER_MISMATCH, ProbeReason.TLS_FAILED, ProbeReason.CERT_EXPIRING);

    @Test
    void openIsHealthyOnlyWhenOpenWithEverythingDeclared() {
        for (PortState state : PortState.values()) {
            for (ProbeReason reason : ProbeReason.values()) {
                Health expected = state == PortState.UNKNOWN ? Health.UNKNOWN
                        : state == PortState.OPEN && !FAILED_DECLARED.contains(reason) ? Health.HEALTHY : Health.UNHEALTHY;
                assertEquals(expected, Expectation.OPEN.health(state, reason.id()), state + " / " + reason);
            }
        }
    }

    @Test
    void closedFollowsTheStateOnly() {
        for (PortState state : PortState.values()) {
            for (ProbeReason reason : ProbeReason.values()) {
                Health expected = state == PortState.UNKNOWN ? Health.UNKNOWN
                        : state == PortState.CLOSED || state == PortState.FILTERED ? Health.HEALTHY : Health.UNHEALTHY;
                assertEquals(expected, Expectation.CLOSED.health(state, reason.id()), state + " / " + reason);
            }
        }
    }
}
