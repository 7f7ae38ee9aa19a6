package io.portwatch.collector.alert.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sends a made-up notification straight through one notifier, bypassing the outbox, so an operator sees the channel work. */
@ApplicationScoped
public class NotifierTester {

    public static final String TEST_RULE = "portwatch-test";

    /** A test send the receiver accepted; deliveryId is also the test notification's dedupe key. */
    public record Sent(String notifier, NotifierType type, String deliveryId) {}

    private final Notifiers notifiers;
    /**
     * Test sends run on a plain thread, as the outbox worker's do: awaited on the request's worker
     * thread, which carries a Vert.x context, an SMTP send through the reactive mailer sometimes
     * waited its whole timeout (seen in CI), presumably for callbacks dispatched to that context.
     */
    private final ExecutorService sender = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "portwatch-notifier-test");
        t.setDaemon(true);
        return t;
    });

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
        Future<?> sent = sender.submit(() -> {
            notifier.send(n, id);
            return null;
        });
        try {
            sent.get(); // the notifier bounds the send by its own timeout
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeliveryException d) throw d;
            throw new IllegalStateException("test send through " + notifier.name() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the test notification", e);
        }
        return new Sent(notifier.name(), notifier.type(), id);
    }
}
