package io.portwatch.core;

import jakarta.annotation.Priority;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converts every {@code Duration} setting with {@link SettingDuration}'s grammar. Registered in
 * {@code META-INF/services/org.eclipse.microprofile.config.spi.Converter}; SmallRye Config uses the
 * converter of highest priority for a type, and Quarkus' own {@code DurationConverter} has 200.
 * SmallRye names the property and its value in the error it builds around this one's message.
 */
@Priority(SettingDurationConverter.PRIORITY)
public final class SettingDurationConverter implements Converter<Duration> {

    /** Above Quarkus' built-in converters (200), so that this one is used for every Duration. */
    public static final int PRIORITY = 300;

    @Override
    public Duration convert(String value) {
        if (value == null || value.isBlank()) {
            return null; // no value: the setting's default, or Optional.empty()
        }
        return SettingDuration.parse(value).orElseThrow(() ->
                new IllegalArgumentException("invalid duration \"" + value + "\": " + SettingDuration.EXPECTED));
    }
}
