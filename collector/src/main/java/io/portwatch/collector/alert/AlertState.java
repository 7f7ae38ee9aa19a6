package io.portwatch.collector.alert;

/** Where an alert is in its life: pending (unhealthy, condition not met yet) → firing → resolved. */
public enum AlertState {
    PENDING,
    FIRING,
    RESOLVED
}
