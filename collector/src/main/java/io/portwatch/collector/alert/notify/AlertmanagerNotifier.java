package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
final class AlertmanagerNotifier extends JsonHttpNotifier {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
            @JsonProperty("generatorURL") String generatorUrl) {}

    private final Optional<String> generatorUrl;

    AlertmanagerNotifier(String name, URI baseUrl, Optional<String> generatorUrl, HttpPoster http, ObjectMapper json) {
        super(name, alertsUrl(baseUrl), http, json);
        this.generatorUrl = generatorUrl;
    }

    private static URI alertsUrl(URI baseUrl) {
        return URI.create(baseUrl.toString().replaceAll("/+$", "") + "/api/v2/alerts");
    }

    @Override
    public NotifierType type() {
        return NotifierType.ALERTMANAGER;
    }

    @Override
    public void send(AlertNotification n, String deliveryId) throws DeliveryException {
        sendAll(List.of(n));
    }

    /** Sends alerts in one request; also how alerts still firing are re-sent so Alertmanager does not time them out. */
    void sendAll(List<AlertNotification> firing) throws DeliveryException {
        if (firing.isEmpty()) return;
        post(toJson(firing.stream().map(n -> alert(n, generatorUrl)).toList()), Map.of());
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
