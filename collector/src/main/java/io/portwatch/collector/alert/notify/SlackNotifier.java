package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): text plus a coloured attachment. */
final class SlackNotifier extends JsonHttpNotifier {

    record Field(String title, String value, boolean isShort) {
        // Slack's key is "short"; a record component cannot be named after a Java keyword
        @com.fasterxml.jackson.annotation.JsonProperty("short")
        public boolean isShort() {
            return isShort;
        }
    }

    record Attachment(String color, String fallback, String title, String text, List<Field> fields, String footer, long ts) {}

    record Message(String text, List<Attachment> attachments) {}

    SlackNotifier(String name, URI url, HttpPoster http, ObjectMapper json) {
        super(name, url, http, json);
    }

    @Override
    public NotifierType type() {
        return NotifierType.SLACK;
    }

    @Override
    public void send(AlertNotification n, String deliveryId) throws DeliveryException {
        post(toJson(message(n)), Map.of());
    }

    static Message message(AlertNotification n) {
        String line = Subjects.line(n);
        List<Field> fields = new java.util.ArrayList<>();
        fields.add(new Field("severity", n.severity(), true));
        fields.add(new Field("kind", n.kind().name(), true));
        new TreeMap<>(n.labels()).forEach((k, v) -> fields.add(new Field(k, v, true)));
        Attachment attachment = new Attachment(color(n.event()), line, n.event() + ": " + n.rule(), n.summary(),
                fields, "Portwatch · " + n.dedupeKey(), n.at() == null ? 0 : n.at().getEpochSecond());
        return new Message(line, List.of(attachment));
    }

    /** Red while something is wrong, green when it is over, amber for flapping. */
    static String color(AlertNotification.Event event) {
        return switch (event) {
            case FIRING -> "#d63232";
            case RESOLVED -> "#2eb886";
            case FLAPPING_STARTED -> "#f2a900";
            case FLAPPING_STOPPED -> "#8a8a8a";
        };
    }
}
