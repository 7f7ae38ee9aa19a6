package io.portwatch.collector.alert.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sends a made-up notification straight through one notifier, bypassing the outbox, so an operator sees the channel work. */
@ApplicationScoped
public class NotifierTester {

    public static final String TEST_RULE = "portwatch-test";

    /** A test send the receiver accepted; deliveryId is also the test notification's dedupe key. */
    public record Sent(String notifier, NotifierType type, String deliveryId) {}

    private final Notifiers notifiers;

    NotifierTester(Notifiers notifiers) {
        this.notifiers = notifiers;
    }

    public Sent send(Notifier notifier) throws DeliveryException {
        Instant now = Instant.now();
        String id = "test-" + UUID.randomUUID();
        AlertNotification n = new AlertNotification(id, 0, AlertNotification.Kind.PORT, AlertNotification.Event.FIRING,
                TEST_RULE, "info", "Test notification from Portwatch to " + notifier.name() + ": nothing is wrong",
                Map.of("check", "portwatch-test", "target", "localhost", "proto", "tcp", "port", "0"),
                now, null, now, List.of(notifier.name()));
        notifier.send(n, id);
        return new Sent(notifier.name(), notifier.type(), id);
    }
}
