package io.portwatch.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "2s, 2000",
        "0s, 0",
        "1m, 60000",
        "1h, 3600000",
        "1h30m, 5400000",
        "1m30s, 90000",
        "1s500ms, 1500",
        "1.5s, 1500",
        "0.25h, 900000",
        // Days (issue 17: one grammar for check files, rule files and settings).
        "1d, 86400000",
        "1d12h, 129600000",
        "1.5d, 129600000",
        "2d30s, 172830000",
        // What rule files wrote before they shared this grammar reads the same.
        "90s, 90000",
        "2m, 120000",
        "1h30m15s250ms, 5415250",
        "0ms, 0",
        // Decimals in rule files.
        "1.5m, 90000",
        "2.5s, 2500",
        "0.001s, 1",
    })
    void parses(String text, long millis) {
        assertEquals(Optional.of(Duration.ofMillis(millis)), DurationParser.parse(text));
        // Settings read every check-file duration alike (SettingDuration adds forms, removes none).
        assertEquals(Optional.of(Duration.ofMillis(millis)), SettingDuration.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "30", "5x", "s", "1.s", ".5s", "-1s", "1 s", " 1s", "1S", "30m1h", "1s1s", "1h30",
        "99999999999999h", "1D", "1h1d", "1d1d", "999999d", "2m500", "soon"})
    void refuses(String text) {
        assertEquals(Optional.empty(), DurationParser.parse(text));
    }

    @ParameterizedTest(name = "{0} ms = {1}")
    @CsvSource({
        "0, 0ms",
        "500, 500ms",
        "90000, 1m30s",
        "5400000, 1h30m",
        "172800000, 48h",
        "5415250, 1h30m15s250ms",
    })
    void formatsWhatItReadsBack(long millis, String text) {
        assertEquals(text, DurationParser.format(Duration.ofMillis(millis)));
        assertEquals(Optional.of(Duration.ofMillis(millis)), DurationParser.parse(text));
    }
}
