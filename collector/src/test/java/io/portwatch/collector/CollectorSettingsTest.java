package io.portwatch.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The intervals the scheduler reads ({@code @Scheduled(every = "${portwatch.outbox.poll-interval}")})
 * have their defaults only in {@link CollectorSettings}' {@code @WithDefault}: the config that
 * resolves those expressions sees them, and agrees with the mapping.
 */
@QuarkusTest
class CollectorSettingsTest {

    @Inject
    Config config;

    @Inject
    CollectorSettings settings;

    @Test
    void scheduledIntervalsResolveToTheMappingDefaults() {
        assertEquals("1s", config.getValue("portwatch.outbox.poll-interval", String.class));
        assertEquals(Duration.ofSeconds(1), settings.outbox().pollInterval());
        assertEquals("5s", config.getValue("portwatch.alerts.sweep-interval", String.class));
        assertEquals("5s", settings.alerts().sweepInterval());
        assertEquals("1s", config.getValue("portwatch.alerts.inbox-interval", String.class));
        assertEquals("1s", settings.alerts().inboxInterval());
        // The notifier tests' resource sets it to 2s for every test: here only the agreement counts.
        assertEquals(config.getValue("portwatch.outbox.alertmanager-refresh", Duration.class),
                settings.outbox().alertmanagerRefresh());
    }
}
