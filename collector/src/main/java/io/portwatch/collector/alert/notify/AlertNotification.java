package io.portwatch.collector.alert.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing to tell people about an alert: it fired, resolved, started or stopped flapping.
 * The alert engine creates it; a {@link NotificationSink} delivers it to each channel.
 *
 * @param dedupeKey   unique per alert and transition (e.g. {@code "alert-42:firing:1"}): a
 *                    notification enqueued twice with one key is delivered once
 * @param alertId     the persisted alert it is about
 * @param kind        PORT (a check instance unhealthy), EXPOSURE (expected closed, found OPEN),
 *                    NO_DATA, AGENT_DOWN
 * @param event       what happened
 * @param rule        name of the rule that matched
 * @param severity    e.g. critical, warning, info
 * @param summary     one line for humans: {@code "tcp/443 on web1 CLOSED (refused) seen by 2 agents"}
 * @param labels      matcher-visible labels: check, target, proto, port, agent, plus check labels
 * @param channels    names of the configured notifiers to deliver to
 */
public record AlertNotification(
        String dedupeKey,
        long alertId,
        Kind kind,
        Event event,
        String rule,
        String severity,
        String summary,
        Map<String, String> labels,
        Instant startedAt,
        Instant endedAt,
        Instant at,
        List<String> channels) {

    public enum Kind { PORT, EXPOSURE, NO_DATA, AGENT_DOWN }

    public enum Event { FIRING, RESOLVED, FLAPPING_STARTED, FLAPPING_STOPPED }

    public AlertNotification {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(event, "event");
        labels = Map.copyOf(labels);
        channels = List.copyOf(channels);
    }
}
