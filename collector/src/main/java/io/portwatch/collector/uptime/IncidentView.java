package io.portwatch.collector.uptime;

import java.time.Instant;

/**
 * A period when a check instance was unhealthy: from its first unhealthy result to its first
 * healthy one ({@code endedAt} null while it lasts; the duration then runs to now).
 */
public record IncidentView(
        long id,
        long checkId,
        Instant startedAt,
        Instant endedAt,
        boolean ongoing,
        double durationSeconds,
        String state,
        String reason,
        String lastState,
        String lastReason,
        int samples) {}
