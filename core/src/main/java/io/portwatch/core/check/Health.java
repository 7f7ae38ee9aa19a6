package io.portwatch.core.check;

/**
 * Whether a result meets its check's expectation. {@link #UNKNOWN} when the probe could not tell
 * (state UNKNOWN): neither healthy nor unhealthy, so it is not a transition, opens and closes no
 * incident, fires and resolves no alert, and counts neither for nor against uptime.
 */
public enum Health {
    HEALTHY,
    UNHEALTHY,
    UNKNOWN;

    /** The stored and JSON value: true, false, or null for unknown. */
    public Boolean flag() {
        return switch (this) {
            case HEALTHY -> Boolean.TRUE;
            case UNHEALTHY -> Boolean.FALSE;
            case UNKNOWN -> null;
        };
    }

    /** The health a stored {@code healthy} column holds (null: unknown). */
    public static Health of(Boolean flag) {
        return flag == null ? UNKNOWN : flag ? HEALTHY : UNHEALTHY;
    }

    /** The JSON text: true, false, or null for unknown. */
    public String json() {
        return String.valueOf(flag());
    }
}
