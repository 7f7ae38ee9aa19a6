package io.portwatch.agent.config;

import io.portwatch.agent.probe.ProbeState;

/** What the operator expects of a port. */
public enum Expectation {
    OPEN,
    /** Exposure check: the port must not answer. CLOSED and FILTERED both satisfy it. */
    CLOSED;

    public boolean isHealthy(ProbeState state) {
        return switch (this) {
            case OPEN -> state == ProbeState.OPEN;
            case CLOSED -> state == ProbeState.CLOSED || state == ProbeState.FILTERED;
        };
    }
}
