package io.portwatch.collector.alert.rule;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as rules write them, like check files: {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 500ms}. */
public final class DurationText {

    private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

    private DurationText() {}

    /** Empty for anything else, a bare number included (seconds or milliseconds?). */
    public static Optional<Duration> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        try {
            Duration d = Duration.ofHours(part(m, 1)).plusMinutes(part(m, 2)).plusSeconds(part(m, 3))
                    .plusMillis(part(m, 4));
            return Optional.of(d);
        } catch (ArithmeticException | NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /** The shortest text that {@link #parse} reads back as {@code d}. */
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

    private static long part(Matcher m, int group) {
        String g = m.group(group);
        return g == null ? 0 : Long.parseLong(g);
    }
}
