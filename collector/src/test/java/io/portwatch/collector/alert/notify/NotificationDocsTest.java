package io.portwatch.collector.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The payload examples of {@code docs/notifications.md} are what the notifiers send: each block
 * marked {@code <!-- payload: NAME -->} equals the body built for alert 42 of {@link Notifications}.
 */
class NotificationDocsTest {

    private static final Path DOC = Path.of("..", "docs", "notifications.md");
    private static final Pattern BLOCK = Pattern.compile("<!-- payload: ([a-z-]+) -->\\s*```(?:json|text)\\n(.*?)```", Pattern.DOTALL);

    /** Configured as Quarkus configures its ObjectMapper: ISO-8601 instants. */
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void everyPayloadExampleIsWhatIsSent() throws IOException {
        AlertNotification firing = Notifications.of(42, Event.FIRING, "ops-webhook");
        AlertNotification resolved = Notifications.of(42, Event.RESOLVED, "ops-webhook");
        Optional<String> generator = Optional.of("https://portwatch.example.com/api/v1/alerts/{alertId}");
        Map<String, String> actual = new HashMap<>();
        actual.put("webhook", json.writeValueAsString(WebhookNotifier.Payload.of(firing)));
        actual.put("slack", json.writeValueAsString(SlackNotifier.message(firing)));
        actual.put("alertmanager-firing", json.writeValueAsString(java.util.List.of(AlertmanagerNotifier.alert(firing, generator))));
        actual.put("alertmanager-resolved", json.writeValueAsString(java.util.List.of(AlertmanagerNotifier.alert(resolved, generator))));
        actual.put("email", "Subject: " + Subjects.line(firing) + "\n\n" + EmailNotifier.body(firing));

        Matcher m = BLOCK.matcher(Files.readString(DOC));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (m.find()) {
            String name = m.group(1);
            String expected = actual.get(name);
            if (expected == null) throw new AssertionError("unknown payload example " + name + " in " + DOC);
            seen.add(name);
            if (name.equals("email")) {
                assertEquals(expected.strip(), m.group(2).strip(), "example " + name);
            } else {
                JsonNode want = json.readTree(m.group(2));
                JsonNode got = json.readTree(expected);
                assertEquals(want, got, "example " + name + ", the notifier sends:\n"
                        + json.writerWithDefaultPrettyPrinter().writeValueAsString(got));
            }
        }
        assertEquals(actual.keySet(), seen, "every payload has an example in " + DOC);
    }
}
