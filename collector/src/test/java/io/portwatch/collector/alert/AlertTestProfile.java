package io.portwatch.collector.alert;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * The alert tests: notifications go to the {@link RecordingNotificationSink}, and the sweep runs
 * only when a test calls it with the time it wants, so no clock races the assertions.
 */
public class AlertTestProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(RecordingNotificationSink.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("portwatch.alerts.sweep-interval", "off");
    }
}
