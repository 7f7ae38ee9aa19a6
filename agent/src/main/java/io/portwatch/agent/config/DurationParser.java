package io.portwatch.agent.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as check files write them: one or more {@code <number><unit>} parts with units
 * ms, s, m, h, largest unit first and each at most once: {@code 500ms}, {@code 2s}, {@code 1.5s},
 * {@code 1h30m}. A bare number is refused: {@code 30} could mean seconds or milliseconds.
 */
final class DurationParser {

    static final String EXPECTED = "expected a number followed by ms, s, m or h";

    /** "ms" before "m", so that 500ms is not read as 500m followed by garbage. */
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|h|m|s)");
    /** Largest first: a part's unit must come later in this list than the previous part's. */
    private static final List<String> UNITS = List.of("h", "m", "s", "ms");
    private static final List<BigDecimal> UNIT_NANOS = List.of(
            BigDecimal.valueOf(3_600_000_000_000L),
            BigDecimal.valueOf(60_000_000_000L),
            BigDecimal.valueOf(1_000_000_000L),
            BigDecimal.valueOf(1_000_000L));

    private DurationParser() {}

    static Optional<Duration> parse(String text) {
        Matcher part = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int position = 0;
        int previousUnit = -1;
        while (position < text.length()) {
            part.region(position, text.length());
            if (!part.lookingAt()) {
                return Optional.empty();
            }
            int unit = UNITS.indexOf(part.group(2));
            if (unit <= previousUnit) {
                return Optional.empty();
            }
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(UNIT_NANOS.get(unit)));
            previousUnit = unit;
            position = part.end();
        }
        if (previousUnit < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact()));
        } catch (ArithmeticException tooLong) {
            return Optional.empty();
        }
    }
}
