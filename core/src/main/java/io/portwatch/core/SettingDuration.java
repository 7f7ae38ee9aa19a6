package io.portwatch.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The duration grammar of settings ({@code portwatch.*} and every other {@code java.time.Duration}
 * property of the apps): the grammar of check files ({@link DurationParser}: {@code 250ms},
 * {@code 1.5m}, {@code 1d}), plus two forms settings accepted before they shared it, kept so that no
 * existing configuration breaks: ISO-8601 ({@code PT30S}) and a bare whole number of seconds
 * ({@code 30}). Units may be written in capitals ({@code 5S}), as Quarkus' own converter allowed:
 * Quarkus' settings go through this grammar too.
 */
public final class SettingDuration {

    /** What a setting's error message states. */
    public static final String EXPECTED =
            "expected a number followed by ms, s, m, h or d (250ms, 1.5m, 1d), or ISO-8601 (PT30S)";

    private static final Pattern SECONDS = Pattern.compile("[0-9]+");

    private SettingDuration() {}

    /** The duration {@code text} writes, or empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (SECONDS.matcher(lower).matches()) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(lower)));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }
        if (lower.startsWith("p") || lower.startsWith("-p") || lower.startsWith("+p")) {
            try {
                return Optional.of(Duration.parse(lower));
            } catch (DateTimeParseException notIso) {
                return Optional.empty();
            }
        }
        return DurationParser.parse(lower);
    }
}
