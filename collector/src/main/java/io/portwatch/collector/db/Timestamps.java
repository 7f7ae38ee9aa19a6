package io.portwatch.collector.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The one way instants are bound to timestamptz parameters: as UTC offset date-times. */
public final class Timestamps {

    private Timestamps() {}

    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
