package io.portwatch.collector.alert;

import io.portwatch.collector.alert.notify.AlertNotification;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.alert.notify.NotificationSink;
import io.portwatch.collector.alert.silence.Silence;
import io.portwatch.collector.alert.silence.SilenceRepository;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the {@link NotificationSink} of a transition, in the engine's transaction — unless a
 * silence in force now mutes the alert: then the alert records that silence instead.
 */
@ApplicationScoped
class AlertNotifier {

    private final AlertRepository alerts;
    private final SilenceRepository silences;
    private final NotificationSink sink;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    AlertNotifier(AlertRepository alerts, SilenceRepository silences, NotificationSink sink, MeterRegistry metrics) {
        this.alerts = alerts;
        this.silences = silences;
        this.sink = sink;
        this.metrics = metrics;
    }

    void notify(Connection c, long alertId, Event event, Instant at) throws SQLException {
        AlertView a = alerts.byId(c, alertId).orElseThrow(() -> new IllegalStateException("alert " + alertId + " vanished"));
        Instant now = clock.instant();
        Map<String, String> labels = AlertLabels.withAlert(a.labels(), a.rule(), a.kind().name());
        Optional<Silence> silence = silences.active(now).stream().filter(s -> s.mutes(labels, now)).findFirst();
        alerts.silenced(c, alertId, silence.map(Silence::id).orElse(null));
        String outcome = silence.isPresent() ? "silenced" : "enqueued";
        metrics.counter("portwatch_alert_transitions", "kind", a.kind().name(), "event", event.name(),
                "outcome", outcome).increment();
        if (silence.isPresent()) {
            return;
        }
        String key = "alert-" + alertId + ":" + event.name().toLowerCase(Locale.ROOT);
        if (event == Event.FLAPPING_STARTED || event == Event.FLAPPING_STOPPED) {
            key += ":" + a.flapCount();
        }
        sink.enqueue(new AlertNotification(key, alertId, a.kind(), event, a.rule(), a.severity(), a.summary(),
                a.labels(), a.startedAt(), a.endedAt(), at, a.channels()));
    }
}
