package io.portwatch.agent.config;

/**
 * Whether a result meets its check's expectation. {@link #UNKNOWN} when the probe could not tell
 * (state UNKNOWN): neither healthy nor unhealthy, so it can neither fire nor resolve an alert.
 */
public enum Health {
    HEALTHY,
    UNHEALTHY,
    UNKNOWN;

    /** The JSON value: true, false, or null for unknown. */
    public String json() {
        return switch (this) {
            case HEALTHY -> "true";
            case UNHEALTHY -> "false";
            case UNKNOWN -> "null";
        };
    }
}
