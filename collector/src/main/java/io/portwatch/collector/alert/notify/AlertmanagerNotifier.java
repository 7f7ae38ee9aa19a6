package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus Alertmanager API v2: {@code POST /api/v2/alerts} with an array of alerts. A resolve
 * carries endsAt, which Alertmanager takes as "resolved at"; a firing alert carries none.
 */
final class AlertmanagerNotifier implements Notifier {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
            @JsonProperty("generatorURL") String generatorUrl) {}

    private final String name;
    private final URI alertsUrl;
    private final Optional<String> generatorUrl;
    private final HttpPoster http;
    private final ObjectMapper json;

    AlertmanagerNotifier(String name, URI baseUrl, Optional<String> generatorUrl, HttpPoster http, ObjectMapper json) {
        this.name = name;
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.alertsUrl = URI.create(base + "/api/v2/alerts");
        this.generatorUrl = generatorUrl;
        this.http = http;
        this.json = json;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NotifierType type() {
        return NotifierType.ALERTMANAGER;
    }

    @Override
    public String destination() {
        return HttpPoster.origin(alertsUrl);
    }

    @Override
    public void send(AlertNotification n, String deliveryId) throws DeliveryException {
        try {
            http.post(alertsUrl, json.writeValueAsBytes(List.of(alert(n, generatorUrl))), Map.of());
        } catch (JsonProcessingException e) {
            throw new DeliveryException("cannot write the Alertmanager alert: " + e.getMessage(), e);
        }
    }

    static Alert alert(AlertNotification n, Optional<String> generatorUrl) {
        // Alertmanager identifies an alert by its label set: firing and resolve must carry the same labels
        Map<String, String> labels = new LinkedHashMap<>();
        n.labels().forEach((k, v) -> labels.put(labelName(k), v));
        labels.put("alertname", n.rule());
        if (n.severity() != null) labels.put("severity", n.severity());
        labels.put("kind", n.kind().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, String> annotations = new LinkedHashMap<>();
        if (n.summary() != null) annotations.put("summary", n.summary());
        annotations.put("event", n.event().name());
        annotations.put("portwatch_alert_id", Long.toString(n.alertId()));
        if (n.event() == AlertNotification.Event.FLAPPING_STARTED) annotations.put("flapping", "true");
        Instant endsAt = n.event() == AlertNotification.Event.RESOLVED ? (n.endedAt() != null ? n.endedAt() : n.at()) : null;
        Instant startsAt = n.startedAt() != null ? n.startedAt() : n.at();
        String generator = generatorUrl.map(g -> g.replace("{alertId}", Long.toString(n.alertId()))).orElse(null);
        return new Alert(labels, annotations, startsAt, endsAt, generator);
    }

    /** Alertmanager label names match [a-zA-Z_][a-zA-Z0-9_]*; anything else becomes '_'. */
    static String labelName(String key) {
        String cleaned = key.replaceAll("[^a-zA-Z0-9_]", "_");
        return cleaned.isEmpty() || Character.isDigit(cleaned.charAt(0)) ? "_" + cleaned : cleaned;
    }
}
