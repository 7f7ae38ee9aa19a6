package io.portwatch.agent.cli;

import io.portwatch.agent.AgentSettings;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The agent's settings ({@link AgentSettings}) for the commands that start no Quarkus
 * ({@code agent probe}, {@code agent check-config}): the same mapping, read from the same places
 * as the running agent reads it, so a command probes with the configured trust store and limits.
 * Those places, by Quarkus' ordinals: system properties (400), {@code PORTWATCH_*} environment
 * variables (300), {@code .env} (295), {@code config/application.properties} in the working
 * directory (260), {@code application.properties} on the class path (250); the {@code prod}
 * profile unless {@code quarkus.profile} says otherwise; Quarkus' converters (durations such as
 * {@code 5s}, memory sizes such as {@code 256M}).
 */
final class CommandSettings {

    private static final int CLASS_PATH_ORDINAL = 250;
    private static final int FILE_SYSTEM_ORDINAL = 260;

    private CommandSettings() {}

    /** The settings as the running agent would read them. */
    static AgentSettings read() {
        return read(List.of());
    }

    /** As {@link #read()}, with {@code extra} sources too (by their own ordinals). */
    static AgentSettings read(List<ConfigSource> extra) {
        ClassLoader loader = CommandSettings.class.getClassLoader();
        SmallRyeConfigBuilder builder = ConfigUtils.emptyConfigBuilder()
                .withSources(applicationProperties(loader))
                .withSources(DotEnvConfigSourceProvider.dotEnvSources(loader))
                .withSources(extra)
                .withMapping(AgentSettings.class)
                // As in Quarkus: a key the mapping does not know is not an error here.
                .withValidateUnknown(false);
        SmallRyeConfig config = builder.build();
        return config.getConfigMapping(AgentSettings.class);
    }

    private static List<ConfigSource> applicationProperties(ClassLoader loader) {
        List<ConfigSource> sources = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources("application.properties"))) {
                sources.add(new PropertiesConfigSource(url, CLASS_PATH_ORDINAL));
            }
            Path local = Path.of("config", "application.properties");
            if (Files.isRegularFile(local)) {
                sources.add(new PropertiesConfigSource(local.toUri().toURL(), FILE_SYSTEM_ORDINAL));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        return sources;
    }
}
