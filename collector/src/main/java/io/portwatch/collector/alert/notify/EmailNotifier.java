package io.portwatch.collector.alert.notify;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Email over SMTP through quarkus-mailer (server: quarkus.mailer.host/port/username/password/start-tls). */
final class EmailNotifier implements Notifier {

    private final String name;
    private final Optional<String> from;
    private final List<String> to;
    private final Duration timeout;
    private final ReactiveMailer mailer;

    EmailNotifier(String name, Optional<String> from, List<String> to, Duration timeout, ReactiveMailer mailer) {
        this.name = name;
        this.from = from;
        this.to = List.copyOf(to);
        this.timeout = timeout;
        this.mailer = mailer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NotifierType type() {
        return NotifierType.EMAIL;
    }

    @Override
    public String destination() {
        return String.join(", ", to);
    }

    @Override
    public void send(AlertNotification n, String deliveryId) throws DeliveryException {
        Mail mail = new Mail().setSubject(Subjects.line(n)).setText(body(n)).setTo(to)
                .addHeader("X-Portwatch-Delivery", deliveryId);
        from.ifPresent(mail::setFrom);
        try {
            mailer.send(mail).await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new DeliveryException("SMTP send to " + destination() + " failed: " + e.getMessage(), e);
        }
    }

    static String body(AlertNotification n) {
        StringBuilder b = new StringBuilder();
        b.append(n.summary() == null ? n.rule() : n.summary()).append("\n\n");
        line(b, "Event", n.event().name());
        line(b, "Kind", n.kind().name());
        line(b, "Rule", n.rule());
        line(b, "Severity", n.severity());
        line(b, "Started", n.startedAt());
        line(b, "Ended", n.endedAt());
        line(b, "At", n.at());
        if (!n.labels().isEmpty()) b.append("Labels:\n");
        new TreeMap<>(n.labels()).forEach((k, v) -> line(b, "  " + k, v));
        line(b, "Alert", n.alertId());
        line(b, "Dedupe key", n.dedupeKey());
        return b.toString();
    }

    private static void line(StringBuilder b, String key, Object value) {
        if (value != null) b.append(key).append(": ").append(value).append('\n');
    }
}
