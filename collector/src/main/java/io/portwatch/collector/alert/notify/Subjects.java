package io.portwatch.collector.alert.notify;

/** The one-line form of a notification, shared by email subjects and chat messages. */
final class Subjects {

    private Subjects() {}

    /** {@code [FIRING] tcp/443 on web1 CLOSED (refused)}. */
    static String line(AlertNotification n) {
        return "[" + n.event() + "] " + (n.summary() == null || n.summary().isBlank() ? n.rule() : n.summary());
    }
}
