package io.portwatch.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingDurationTest {

    /**
     * What settings accepted before they shared the check files' grammar (Quarkus' converter, as
     * docs/configuration.md showed it), besides that grammar, which DurationParserTest covers.
     */
    @Test
    void readsTheFormsSettingsAcceptedBefore() {
        Map<String, Duration> accepted = Map.of(
                "PT5S", Duration.ofSeconds(5),
                "PT1H", Duration.ofHours(1),
                "P1D", Duration.ofDays(1),
                "pt0.5s", Duration.ofMillis(500),
                "30", Duration.ofSeconds(30),
                "5S", Duration.ofSeconds(5),
                "1M", Duration.ofMinutes(1),
                "500MS", Duration.ofMillis(500),
                " 5s ", Duration.ofSeconds(5));
        accepted.forEach((text, expected) -> assertEquals(Optional.of(expected), SettingDuration.parse(text), text));
    }

    @Test
    void refusesWhatIsNoDuration() {
        for (String text : List.of("5x", "s", "1.s", "1 s", "30m1h", "soon", "P", "PTx", "99999999999999999999", "1.5")) {
            assertEquals(Optional.empty(), SettingDuration.parse(text), text);
        }
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(values, "test", 100))
                .addDiscoveredConverters()
                .build();
    }

    /** Found through META-INF/services, and chosen over SmallRye's implicit Duration.parse converter. */
    @Test
    void isTheDiscoveredDurationConverter() {
        SmallRyeConfig config = config(Map.of("a", "1.5m", "b", "1d", "c", "250ms", "d", "PT30S"));
        assertEquals(Duration.ofSeconds(90), config.getValue("a", Duration.class));
        assertEquals(Duration.ofDays(1), config.getValue("b", Duration.class));
        assertEquals(Duration.ofMillis(250), config.getValue("c", Duration.class));
        assertEquals(Duration.ofSeconds(30), config.getValue("d", Duration.class));
    }

    @Test
    void anErrorNamesThePropertyTheValueAndTheGrammar() {
        SmallRyeConfig config = config(Map.of("portwatch.some-interval", "5x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config.getValue("portwatch.some-interval", Duration.class));
        assertTrue(e.getMessage().contains("portwatch.some-interval"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid duration \"5x\": " + SettingDuration.EXPECTED), e.getMessage());
    }

    @Test
    void offIsNoInterval() {
        IntervalOrOffConverter converter = new IntervalOrOffConverter();
        assertEquals(null, converter.convert("off"));
        assertEquals(Duration.ofSeconds(5), converter.convert("5s"));
        assertThrows(IllegalArgumentException.class, () -> converter.convert("of"));
    }
}
