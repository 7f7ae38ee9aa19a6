package io.portwatch.collector.alert.notify;

/** A receiver refused or could not be reached; the message is what the outbox records as last_error. */
public class DeliveryException extends Exception {

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
