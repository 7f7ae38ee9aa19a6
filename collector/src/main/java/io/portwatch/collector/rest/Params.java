package io.portwatch.collector.rest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses query and path parameters; every failure names the parameter and the rule. */
public final class Params {

    private static final Pattern WINDOW = Pattern.compile("(\\d{1,4})([hd])");
    public static final Duration MAX_WINDOW = Duration.ofDays(400);

    private Params() {}

    public static long id(String name, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badRequest(name + " \"" + raw + "\" is not a positive integer");
    }

    public static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " \"" + raw + "\" is not an ISO-8601 instant such as 2026-11-25T10:00:00Z");
        }
    }

    public static int limit(String raw, int defaultValue, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badRequest("limit \"" + raw + "\" must be an integer from 1 to " + max);
    }

    /** A window such as 24h, 7d, 30d or 365d (hours or days, at most 400 days). */
    public static Duration window(String raw) {
        Matcher m = WINDOW.matcher(raw == null ? "" : raw);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
            if (n > 0 && d.compareTo(MAX_WINDOW) <= 0) {
                return d;
            }
        }
        throw ProblemException.badRequest("window \"" + raw + "\" must be hours or days such as 24h, 7d, 30d or 365d"
                + " (at most 400d)");
    }

    /** Rejects from after to, which would silently select nothing. */
    public static void order(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ProblemException.badRequest("from " + from + " is after to " + to);
        }
    }
}
