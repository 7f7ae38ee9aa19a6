package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The health rule over every state and reason. The collector's copy
 * (collector/.../check/Expectation.java) has the same table in its ExpectationTest.
 */
class ExpectationTest {

    /** What an OPEN port failed of what its check declared. */
    private static final Set<ProbeReason> FAILED_DECLARED =
            EnumSet.of(ProbeReason.BANNER_MISMATCH, ProbeReason.TLS_FAILED, ProbeReason.CERT_EXPIRING);

    @Test
    void openIsHealthyOnlyWhenOpenWithEverythingDeclared() {
        for (ProbeState state : ProbeState.values()) {
            for (ProbeReason reason : ProbeReason.values()) {
                Health expected = state == ProbeState.UNKNOWN ? Health.UNKNOWN
                        : state == ProbeState.OPEN && !FAILED_DECLARED.contains(reason) ? Health.HEALTHY : Health.UNHEALTHY;
                assertEquals(expected, Expectation.OPEN.health(state, reason), state + " / " + reason);
            }
        }
    }

    @Test
    void closedFollowsTheStateOnly() {
        for (ProbeState state : ProbeState.values()) {
            for (ProbeReason reason : ProbeReason.values()) {
                Health expected = state == ProbeState.UNKNOWN ? Health.UNKNOWN
                        : state == ProbeState.CLOSED || state == ProbeState.FILTERED ? Health.HEALTHY : Health.UNHEALTHY;
                assertEquals(expected, Expectation.CLOSED.health(state, reason), state + " / " + reason);
            }
        }
    }
}
