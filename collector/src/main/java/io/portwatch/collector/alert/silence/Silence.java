package io.portwatch.collector.alert.silence;

import io.portwatch.collector.alert.rule.Matchers;
import java.time.Instant;
import java.util.Map;

/** Mutes the notifications of alerts its matchers select, from {@code startsAt} until {@code endsAt}. */
public record Silence(long id, Matchers matchers, Instant startsAt, Instant endsAt, String comment, String createdBy,
        Instant createdAt) {

    public enum Status { PENDING, ACTIVE, EXPIRED }

    public Status status(Instant now) {
        if (now.isBefore(startsAt)) return Status.PENDING;
        return now.isBefore(endsAt) ? Status.ACTIVE : Status.EXPIRED;
    }

    public boolean mutes(Map<String, String> alertLabels, Instant now) {
        return status(now) == Status.ACTIVE && matchers.matches(alertLabels);
    }
}
