package io.portwatch.collector.check;

/** What the operator expects of a port; decides whether a state is healthy. */
public enum Expectation {
    OPEN,
    /** Exposure check: CLOSED and FILTERED both satisfy it. */
    CLOSED;

    public boolean isHealthy(PortState state) {
        return switch (this) {
            case OPEN -> state == PortState.OPEN;
            case CLOSED -> state == PortState.CLOSED || state == PortState.FILTERED;
        };
    }
}
