package io.portwatch.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.alert.AlertSettings;
import io.portwatch.collector.alert.notify.NotifierSettings;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The intervals the scheduler reads ({@code @Scheduled(every = "${portwatch.outbox.poll-interval}")})
 * have their defaults only in the mappings' {@code @WithDefault} ({@link AlertSettings},
 * {@link NotifierSettings}): the config that resolves those expressions sees them, and agrees with
 * the mappings.
 */
@QuarkusTest
class CollectorSettingsTest {

    @Inject
    Config config;

    @Inject
    AlertSettings alerts;

    @Inject
    NotifierSettings notifiers;

    @Test
    void scheduledIntervalsResolveToTheMappingDefaults() {
        assertEquals("1s", config.getValue("portwatch.outbox.poll-interval", String.class));
        assertEquals(Duration.ofSeconds(1), notifiers.outbox().pollInterval());
        assertEquals("5s", config.getValue("portwatch.alerts.sweep-interval", String.class));
        assertEquals("5s", alerts.sweepInterval());
        assertEquals("1s", config.getValue("portwatch.alerts.inbox-interval", String.class));
        assertEquals("1s", alerts.inboxInterval());
        // The notifier tests' resource sets it to 2s for every test: here only the agreement counts.
        assertEquals(config.getValue("portwatch.outbox.alertmanager-refresh", Duration.class),
                notifiers.outbox().alertmanagerRefresh());
    }
}
