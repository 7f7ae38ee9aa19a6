package io.portwatch.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.alert.AlertSettings;
import io.portwatch.collector.alert.notify.NotifierSettings;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.SmallRyeConfig;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

/**
 * The jobs whose interval is a setting run at the interval the mappings read (their defaults only
 * in {@code @WithDefault}), and every Duration setting is read with the one duration grammar
 * (core's SettingDurationConverter, chosen over Quarkus' own converter).
 */
@QuarkusTest
class CollectorSettingsTest {

    @Inject
    Config config;

    @Inject
    CollectorSettings settings;

    @Inject
    AlertSettings alerts;

    @Inject
    NotifierSettings notifiers;

    @Inject
    Scheduler scheduler;

    @Test
    void scheduledJobsRunAtTheMappingsIntervals() {
        assertEquals(Optional.of(Duration.ofSeconds(5)), alerts.sweepInterval());
        assertEquals(Duration.ofSeconds(1), alerts.inboxInterval());
        assertEquals(Duration.ofSeconds(1), notifiers.outbox().pollInterval());
        assertEquals(Duration.ofSeconds(2), settings.leader().refreshInterval());
        Map<String, Duration> jobs = Map.of(
                "portwatch-alert-sweep", alerts.sweepInterval().orElseThrow(),
                "portwatch-alert-inbox", alerts.inboxInterval(),
                "portwatch-outbox-poll", notifiers.outbox().pollInterval(),
                "portwatch-leader-refresh", settings.leader().refreshInterval(),
                // The notifier tests' resource sets it to 2s for every test: here only the agreement counts.
                "portwatch-alertmanager-refresh", notifiers.outbox().alertmanagerRefresh());
        jobs.forEach((id, every) -> {
            Trigger job = scheduler.getScheduledJob(id);
            assertNotNull(job, id);
            Instant next = job.getNextFireTime();
            assertNotNull(next, id);
            // Within one interval from now (and a second of the scheduler's tick).
            assertTrue(!next.isAfter(Instant.now().plus(every).plusSeconds(1)), id + " next at " + next);
        });
    }

    @Test
    void durationSettingsUseTheCoreGrammar() {
        Converter<java.time.Duration> durations =
                config.unwrap(SmallRyeConfig.class).getConverter(Duration.class).orElseThrow();
        assertEquals(Duration.ofSeconds(90), durations.convert("1.5m"));
        assertEquals(Duration.ofDays(1), durations.convert("1d"));
        assertEquals(Duration.ofMillis(250), durations.convert("250ms"));
        // What settings accepted before: ISO-8601 and a bare number of seconds.
        assertEquals(Duration.ofSeconds(30), durations.convert("PT30S"));
        assertEquals(Duration.ofSeconds(30), durations.convert("30"));
    }
}
