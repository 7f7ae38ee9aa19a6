package io.portwatch.collector.inventory;

import java.time.Instant;

/** A socket that appeared or went, at {@code at}. */
public record ListeningChange(Instant at, Kind change, ListeningSocketView socket) {

    public enum Kind {
        appeared,
        gone
    }
}
