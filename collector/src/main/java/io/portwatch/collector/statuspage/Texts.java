package io.portwatch.collector.statuspage;

import io.portwatch.collector.uptime.DayUptime;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.Locale;

/** How the status page words durations, percentages and days. */
final class Texts {

    private Texts() {}

    /** An instant to the second, ISO-8601 in UTC: {@code 2026-12-08T02:01:37Z}. */
    static String instant(java.time.Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** The two largest units: {@code 45s}, {@code 3m 12s}, {@code 5h 4m}, {@code 12d 3h}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    /** Two decimals, never rounded up to 100 (99.999 % is 99.99 %, not 100.00 %). */
    static String percent(double p) {
        // No String.format: a page of 100 checks writes 9,000 of these.
        long hundredths = (long) Math.floor(p * 100 + 1e-9);
        long cents = hundredths % 100;
        return hundredths / 100 + (cents < 10 ? ".0" : ".") + cents + " %";
    }

    static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    /** ok from 99.9 %, warn from 99 %, bad below; unknown with only UNKNOWN results; none without data. */
    static String dayTone(DayUptime d) {
        Double p = d.uptimePercent();
        if (p == null) {
            return d.hasData() ? "unknown" : "none";
        }
        return p >= 99.9 ? "ok" : p >= 99 ? "warn" : "bad";
    }

    /** The tooltip: {@code 2026-12-08: 99.95 % up (2,880 results), 1 incident}. */
    static String dayTip(DayUptime d) {
        Double p = d.uptimePercent();
        String incidents = d.incidents() == 1 ? "1 incident" : d.incidents() + " incidents";
        if (p == null) {
            return d.day() + (d.hasData() ? ": only unknown results (" + d.unknown() + "), " + incidents
                    : d.incidents() > 0 ? ": no data, " + incidents : ": no data");
        }
        String results = d.samples() == 1 ? "1 result"
                : NumberFormat.getIntegerInstance(Locale.ROOT).format(d.samples()) + " results";
        return d.day() + ": " + percent(p) + " up (" + results + "), " + incidents;
    }
}
