package io.portwatch.agent.config;

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
    })
    void parses(String text, long millis) {
        assertEquals(Optional.of(Duration.ofMillis(millis)), DurationParser.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "30", "5x", "s", "1.s", ".5s", "-1s", "1 s", " 1s", "1S", "1d", "30m1h", "1s1s", "1h30",
        "99999999999999h"})
    void refuses(String text) {
        assertEquals(Optional.empty(), DurationParser.parse(text));
    }
}
