package io.portwatch.collector.alert.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The sink of the alert engine: writes the notification to the outbox in the engine's own
 * transaction, one row per channel, so it is delivered if and only if the alert state commits.
 * Replaces {@link LoggingNotificationSink}, which is only a default bean.
 */
@ApplicationScoped
public class OutboxNotificationSink implements NotificationSink {

    private static final Logger LOG = Logger.getLogger(OutboxNotificationSink.class);

    private final OutboxRepository outbox;
    private final Notifiers notifiers;
    private final ObjectMapper json;
    private final DeliveryWorker worker;
    private final TransactionSynchronizationRegistry transactions;

    OutboxNotificationSink(OutboxRepository outbox, Notifiers notifiers, ObjectMapper json, DeliveryWorker worker,
            TransactionSynchronizationRegistry transactions) {
        this.outbox = outbox;
        this.notifiers = notifiers;
        this.json = json;
        this.worker = worker;
        this.transactions = transactions;
    }

    @Override
    @Transactional
    public void enqueue(AlertNotification n) {
        List<String> channels = notifiers.channelsOf(n);
        if (channels.isEmpty()) {
            LOG.infof("no notifier configured: %s %s [%s] %s is not sent", n.event(), n.kind(), n.rule(), n.summary());
            return;
        }
        String payload;
        try {
            payload = json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification " + n.dedupeKey() + " cannot be written as JSON", e);
        }
        int inserted = outbox.insert(n, channels, payload);
        LOG.debugf("enqueued %s for %d of %s (the others were already there)", n.dedupeKey(), inserted, channels);
        if (inserted > 0) {
            // deliver right after the commit instead of at the next poll: the poll is the fallback
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) worker.wake();
                }
            });
        }
    }
}
