package io.portwatch.collector.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier keys as docs/notifications.md shows them, from properties and from environment variables. */
class NotifierSettingsTest {

    private static NotifierSettings settings(org.eclipse.microprofile.config.spi.ConfigSource source) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(source)
                .addDiscoveredConverters() // core's SettingDurationConverter, as in Quarkus
                .withMapping(NotifierSettings.class)
                .build();
        return config.getConfigMapping(NotifierSettings.class);
    }

    @Test
    void propertiesWithAQuotedName() {
        NotifierSettings s = settings(new PropertiesConfigSource(Map.of(
                "portwatch.notifiers.\"ops-webhook\".type", "webhook",
                "portwatch.notifiers.\"ops-webhook\".url", "https://hooks.example.com/portwatch",
                "portwatch.notifiers.\"ops-webhook\".secret", "s3cret",
                "portwatch.notifiers.oncall.type", "email",
                "portwatch.notifiers.oncall.to", "ops@example.com,oncall@example.com",
                "portwatch.outbox.max-attempts", "10"), "test", 100));
        NotifierSettings.Notifier hook = s.notifiers().get("ops-webhook");
        assertEquals(NotifierType.WEBHOOK, hook.type());
        assertEquals(URI.create("https://hooks.example.com/portwatch"), hook.url().orElseThrow());
        assertEquals("s3cret", hook.secret().orElseThrow());
        assertEquals(Duration.ofSeconds(10), hook.timeout());
        assertEquals(List.of("ops@example.com", "oncall@example.com"), s.notifiers().get("oncall").to().orElseThrow());
        assertEquals(10, s.outbox().maxAttempts());
        assertEquals(Duration.ofSeconds(1), s.outbox().initialBackoff());
        assertEquals(Duration.ofMinutes(5), s.outbox().maxBackoff());
        assertEquals(Duration.ofDays(30), s.outbox().retention());
        assertEquals(Duration.ofMinutes(1), s.outbox().alertmanagerRefresh());
    }

    /**
     * Names of letters and digits work from the environment alone; an environment variable cannot
     * tell '-' from '.', so a dashed name is for properties files and -D only.
     */
    @Test
    void environmentVariables() {
        NotifierSettings s = settings(new EnvConfigSource(Map.of(
                "PORTWATCH_NOTIFIERS_OPS_TYPE", "slack",
                "PORTWATCH_NOTIFIERS_OPS_URL", "https://hooks.slack.com/services/T0/B0/x",
                "PORTWATCH_NOTIFIERS_OPS_TIMEOUT", "3s",
                "PORTWATCH_OUTBOX_MAX_AGE", "2h"), 300));
        assertEquals(NotifierType.SLACK, s.notifiers().get("ops").type());
        assertEquals(Duration.ofSeconds(3), s.notifiers().get("ops").timeout());
        assertEquals(Duration.ofHours(2), s.outbox().maxAge());
    }
}
