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
                assertEquals(state == ProbeState.OPEN && !FAILED_DECLARED.contains(reason),
                        Expectation.OPEN.isHealthy(state, reason), state + " / " + reason);
            }
        }
    }

    @Test
    void closedFollowsTheStateOnly() {
        for (ProbeState state : ProbeState.values()) {
            for (ProbeReason reason : ProbeReason.values()) {
                assertEquals(state == ProbeState.CLOSED || state == ProbeState.FILTERED,
                        Expectation.CLOSED.isHealthy(state, reason), state + " / " + reason);
            }
        }
    }
}
