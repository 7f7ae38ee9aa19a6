package io.portwatch.collector.history;

import io.portwatch.collector.input.TextRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Position after the last row of a page: (observed_at, id), so rows with equal timestamps are
 * neither skipped nor repeated. Opaque to clients. Also pages the audit log, on (at, id).
 */
public record HistoryCursor(Instant observedAt, long id) {

    public String encode() {
        String raw = observedAt.getEpochSecond() + ":" + observedAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static HistoryCursor decode(String cursor) {
        return decode("cursor", cursor);
    }

    /**
     * @param parameter the query parameter that carried it, named in the error
     * @throws InvalidCursorException when this API did not write it
     */
    public static HistoryCursor decode(String parameter, String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3) {
                return new HistoryCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // reported below
        }
        throw new InvalidCursorException(parameter + " " + TextRule.shown(cursor) + " is not a cursor returned by this API");
    }
}
