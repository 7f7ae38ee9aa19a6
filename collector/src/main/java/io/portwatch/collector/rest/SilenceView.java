package io.portwatch.collector.rest;

import io.portwatch.collector.alert.silence.Silence;
import java.time.Instant;
import java.util.Map;

/** A silence as the API shows it; {@code status} is judged now: pending, active or expired. */
public record SilenceView(long id, Map<String, Object> matchers, Instant startsAt, Instant endsAt, String comment,
        String createdBy, Instant createdAt, Silence.Status status) {

    public static SilenceView of(Silence s, Instant now) {
        return new SilenceView(s.id(), s.matchers().document(), s.startsAt(), s.endsAt(), s.comment(), s.createdBy(),
                s.createdAt(), s.status(now));
    }
}
