package io.portwatch.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of check files, rule files and the agent's command line: one or more
 * {@code <number><unit>} parts with units d, h, m, s, ms, largest unit first and each at most once,
 * a number with or without decimals: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1h30m},
 * {@code 1d12h}. A bare number is refused: {@code 30} could mean seconds or milliseconds. Below a
 * nanosecond is cut off; a duration too long for {@link Duration#ofNanos} (about 292 years) is refused.
 */
public final class DurationParser {

    /** The rule every caller's error message states; check files' errors quote it as it is. */
    public static final String EXPECTED = "expected a number followed by ms, s, m or h";

    /** "ms" before "m", so that 500ms is not read as 500m followed by garbage. */
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|d|h|m|s)");
    /** Largest first: a part's unit must come later in this list than the previous part's. */
    private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");
    private static final List<BigDecimal> UNIT_NANOS = List.of(
            BigDecimal.valueOf(86_400_000_000_000L),
            BigDecimal.valueOf(3_600_000_000_000L),
            BigDecimal.valueOf(60_000_000_000L),
            BigDecimal.valueOf(1_000_000_000L),
            BigDecimal.valueOf(1_000_000L));

    private DurationParser() {}

    /** The duration {@code text} writes, or empty when it is not one (the caller names the place). */
    public static Optional<Duration> parse(String text) {
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

    /**
     * The shortest text in whole hours, minutes, seconds and milliseconds that {@link #parse} reads
     * back as {@code d} (below a millisecond is dropped). No days: a rule's {@code for: 48h} is shown
     * as it has always been.
     */
    public static String format(Duration d) {
        StringBuilder out = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        int ms = d.toMillisPart();
        if (h > 0) out.append(h).append('h');
        if (m > 0) out.append(m).append('m');
        if (s > 0) out.append(s).append('s');
        if (ms > 0 || out.isEmpty()) out.append(ms).append("ms");
        return out.toString();
    }
}
