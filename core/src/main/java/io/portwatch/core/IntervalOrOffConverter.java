package io.portwatch.core;

import java.time.Duration;
import java.util.Locale;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A job's interval, or {@code off} for no job: for an {@code Optional<Duration>} setting
 * ({@code @WithConverter(IntervalOrOffConverter.class)}), {@code off} reads as empty.
 */
public final class IntervalOrOffConverter implements Converter<Duration> {

    private final SettingDurationConverter durations = new SettingDurationConverter();

    @Override
    public Duration convert(String value) {
        if (value != null && value.trim().toLowerCase(Locale.ROOT).equals("off")) {
            return null;
        }
        return durations.convert(value);
    }
}
