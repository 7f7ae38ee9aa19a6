package io.portwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.AgentSettings;
import io.portwatch.agent.ProbeSetup;
import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.probe.ProbeLimits;
import io.smallrye.config.PropertiesConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's settings as {@link CommandSettings} reads them (the same mapping, sources and
 * converters as the running agent): durations in the one grammar of check files, and the defaults
 * that the engine built without settings shares with the mapping.
 */
class CommandSettingsTest {

    private static AgentSettings read(Map<String, String> properties) {
        return CommandSettings.read(List.of(new PropertiesConfigSource(properties, "test", 500)));
    }

    @Test
    void durationSettingsReadTheCheckFileGrammar() {
        AgentSettings settings = read(Map.of(
                "portwatch.reload-interval", "1.5m",
                "portwatch.probe.dns-cache-ttl", "1d",
                "portwatch.collector.flush-interval", "250ms",
                // Accepted before the grammar was shared, and still: ISO-8601 and bare seconds.
                "portwatch.probe.dns-negative-cache-ttl", "PT10S",
                "portwatch.collector.heartbeat-interval", "20"));
        assertEquals(Duration.ofSeconds(90), settings.reloadInterval());
        assertEquals(Duration.ofDays(1), settings.probe().dnsCacheTtl());
        assertEquals(Duration.ofMillis(250), settings.collector().flushInterval());
        assertEquals(Duration.ofSeconds(10), settings.probe().dnsNegativeCacheTtl());
        assertEquals(Duration.ofSeconds(20), settings.collector().heartbeatInterval());
    }

    @Test
    void aBadDurationNamesTheProperty() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> read(Map.of("portwatch.reload-interval", "5x")));
        String message = e.getMessage();
        assertTrue(message.contains("portwatch.reload-interval"), message);
        assertTrue(message.contains("invalid duration \"5x\": expected a number followed by ms, s, m, h or d"), message);
    }

    /** The engine's and the loader's built-in defaults are the settings' defaults: one constant each. */
    @Test
    void theDefaultsAreTheMappings() {
        AgentSettings settings = read(Map.of());
        assertEquals(new ProbeLimits(ProbeLimits.DEFAULT_MAX_IN_FLIGHT, ProbeLimits.DEFAULT_MAX_IN_FLIGHT_PER_TARGET,
                ProbeLimits.DEFAULT_UDP_STARTS_PER_SECOND, ProbeLimits.DEFAULT_UDP_BURST), ProbeSetup.limits(settings.probe()));
        assertEquals(ProbeLimits.DEFAULTS, ProbeSetup.limits(settings.probe()));
        assertEquals(CheckDirectoryLoader.MAX_INSTANCES_PER_CHECK, settings.maxInstancesPerCheck());
        assertEquals(1024, settings.maxInstancesPerCheck());
        assertEquals(new ProbeLimits(128, 4, 20, 5), ProbeSetup.limits(settings.probe()));
    }
}
