package io.portwatch.collector.rest;

import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.input.TextRule;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of query and path parameters; every failure names the parameter and the rule. Typed
 * query parameters reach these through {@link TypedParams}; strings, path ids and windows are
 * parsed here by the resources. Every string
 * parameter goes through here before it reaches the database, and every refused value is quoted
 * through {@link TextRule#shown}: control characters escaped, long values cut.
 */
public final class Params {

    private static final Pattern WINDOW = Pattern.compile("(\\d{1,4})([hd])");
    public static final Duration MAX_WINDOW = Duration.ofDays(400);

    private Params() {}

    /**
     * A free string (agent id, target, name): at most {@code max} characters and no control
     * characters; null when absent or blank.
     */
    public static String text(String name, String raw, int max) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String rule = TextRule.violation(raw, max, false);
        if (rule != null) {
            throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + ": " + rule);
        }
        return raw.isBlank() ? null : raw;
    }

    /** Like {@link #text}, for a path parameter, which is never absent. */
    public static String segment(String name, String raw, int max) {
        String value = text(name, raw, max);
        if (value == null) {
            throw ProblemException.badRequest(name + " is empty");
        }
        return value;
    }

    /** A positive id; also used for paging cursors ({@code after}). */
    public static long id(String name, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + " is not a positive integer");
    }

    public static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            Instant t = Instant.parse(raw);
            String rule = InputLimits.instant(t);
            if (rule != null) {
                throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + " is " + rule);
            }
            return t;
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + " is not an ISO-8601 instant such as 2026-11-25T10:00:00Z");
        }
    }

    /** An integer from {@code min} to {@code max}: a limit, a port. */
    public static int integer(String name, String raw, int min, int max) {
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + " must be an integer from " + min + " to " + max);
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
        throw ProblemException.badRequest("window " + TextRule.shown(raw) + " must be hours or days such as 24h, 7d, 30d or 365d"
                + " (at most 400d)");
    }

    /** An enum value by name, case-insensitive ("open_filtered" and "open|filtered" for OPEN_FILTERED). */
    public static <E extends Enum<E>> E choice(String name, String raw, Class<E> type) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String normalized = raw.trim().toUpperCase(java.util.Locale.ROOT).replace('|', '_').replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(normalized)) {
                return e;
            }
        }
        String allowed = String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).toList());
        throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + " must be one of " + allowed);
    }

    public static Boolean bool(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badRequest(name + " " + TextRule.shown(raw) + " must be true or false");
        };
    }

    /** Rejects from after to, which would silently select nothing. */
    public static void order(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ProblemException.badRequest("from " + from + " is after to " + to);
        }
    }
}
