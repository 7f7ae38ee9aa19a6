package io.portwatch.collector.alert.notify;

/**
 * Where the alert engine hands its notifications. Called inside the engine's transaction, so the
 * notification is committed with the alert state that caused it (the outbox pattern) or not at all.
 */
public interface NotificationSink {

    void enqueue(AlertNotification notification);
}
