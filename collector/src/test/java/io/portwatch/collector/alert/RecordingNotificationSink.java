package io.portwatch.collector.alert;

import io.portwatch.collector.alert.notify.AlertNotification;
import io.portwatch.collector.alert.notify.NotificationSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records what the engine enqueued, for tests to assert exactly which notifications were made. */
@Alternative
@ApplicationScoped
public class RecordingNotificationSink implements NotificationSink {

    private final List<AlertNotification> enqueued = new ArrayList<>();

    @Override
    public synchronized void enqueue(AlertNotification notification) {
        enqueued.add(notification);
    }

    public synchronized List<AlertNotification> matching(Predicate<AlertNotification> p) {
        return enqueued.stream().filter(p).toList();
    }
}
