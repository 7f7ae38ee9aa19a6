package io.portwatch.collector.alert.notify;

/** One configured channel. Implementations block until the receiver has accepted or refused. */
public interface Notifier {

    String name();

    NotifierType type();

    /** Where it sends, without secrets (for the API): scheme://host:port, or the mail recipients. */
    String destination();

    /**
     * Delivers one notification; returns only when the receiver accepted it (HTTP 2xx, SMTP 250).
     *
     * @param deliveryId the same on every retry of one outbox row, so receivers can drop duplicates
     */
    void send(AlertNotification notification, String deliveryId) throws DeliveryException;
}
