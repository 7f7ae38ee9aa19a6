package io.portwatch.collector.rest;

import java.time.Instant;

/** The window of an uptime request: a named window (24h by default) ending at to, or from/to. */
record UptimeWindow(String name, Instant from, Instant to) {

    static UptimeWindow of(String window, String from, String to, Instant now) {
        Instant fromAt = Params.instant("from", from);
        Instant toAt = Params.instant("to", to);
        if (fromAt != null && window != null) {
            throw ProblemException.badRequest("give either window or from/to, not both");
        }
        Instant end = toAt == null ? now : toAt;
        if (fromAt == null) {
            String w = window == null ? "24h" : window;
            return new UptimeWindow(w, end.minus(Params.window(w)), end);
        }
        Params.order(fromAt, end);
        if (fromAt.isBefore(end.minus(Params.MAX_WINDOW))) {
            throw ProblemException.badRequest("from/to span more than " + Params.MAX_WINDOW.toDays() + " days");
        }
        return new UptimeWindow(null, fromAt, end);
    }
}
