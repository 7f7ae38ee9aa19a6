package io.portwatch.collector.history;

import io.portwatch.collector.check.PortState;
import java.time.Instant;

/** One stored probe result as the API shows it. */
public record ResultView(
        Instant observedAt, PortState state, String reason, boolean healthy, String address, double latencyMs,
        String detail) {}
