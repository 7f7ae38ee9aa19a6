package io.portwatch.collector.history;

import io.portwatch.core.check.PortState;
import java.time.Instant;

/**
 * One stored probe result as the API shows it. {@code healthy} is null for an UNKNOWN result: the
 * probe could not tell, so the result is neither healthy nor unhealthy.
 */
public record ResultView(
        Instant observedAt, PortState state, String reason, Boolean healthy, String address, double latencyMs,
        String detail) {}
