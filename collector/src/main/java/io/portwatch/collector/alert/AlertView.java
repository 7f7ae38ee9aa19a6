package io.portwatch.collector.alert;

import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import java.util.List;
import java.util.Map;

/**
 * One alert as the API shows it. {@code durationMs} runs from {@code startedAt} to {@code endedAt}
 * (or to now while open); {@code silenced} says the last transition was muted by {@code silenceId}.
 */
public record AlertView(
        long id,
        String rule,
        Kind kind,
        String subject,
        AlertState state,
        String severity,
        String summary,
        Map<String, String> labels,
        List<String> channels,
        java.time.Instant startedAt,
        java.time.Instant firedAt,
        java.time.Instant endedAt,
        long durationMs,
        String lastState,
        String lastReason,
        List<String> voters,
        boolean flapping,
        int flapCount,
        boolean silenced,
        Long silenceId,
        java.time.Instant updatedAt) {}
