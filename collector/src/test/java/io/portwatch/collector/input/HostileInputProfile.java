package io.portwatch.collector.input;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The hostile-input tests get an application (and database) of their own: they create agents,
 * rules and silences with strange names that the other tests should never see. Count limits and
 * the gRPC message size are lowered so that exceeding them takes small messages; the sweep is
 * off, so the agents these tests leave behind raise no alerts.
 */
public class HostileInputProfile implements QuarkusTestProfile {

    public static final int LABELS = 8;
    public static final int INSTANCES = 50;
    public static final int RESULTS = 50;
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "portwatch.alerts.sweep-interval", "off",
                "portwatch.limits.labels", String.valueOf(LABELS),
                "portwatch.limits.instances-per-catalog", String.valueOf(INSTANCES),
                "portwatch.limits.results-per-batch", String.valueOf(RESULTS),
                "quarkus.grpc.server.max-inbound-message-size", String.valueOf(MAX_MESSAGE_BYTES));
    }
}
