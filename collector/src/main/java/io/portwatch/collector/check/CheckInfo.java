package io.portwatch.collector.check;

import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.util.Locale;
import java.util.Map;

/** What the alert engine needs to know of one check instance of one agent: its catalog fields. */
public record CheckInfo(long id, String agentId, String key, String name, String target, Protocol proto, int port,
        Expectation expect, Integer intervalMs, Map<String, String> labels) {

    public CheckInfo {
        labels = Map.copyOf(labels);
    }

    /** {@code tcp/443 on web1}: how summaries name the port. */
    public String where() {
        return proto.name().toLowerCase(Locale.ROOT) + "/" + port + " on " + target;
    }
}
