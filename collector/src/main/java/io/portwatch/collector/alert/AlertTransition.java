package io.portwatch.collector.alert;

import java.time.Instant;
import java.util.Set;

/** What an evaluation changed, each one a notification (unless silenced). */
public sealed interface AlertTransition {

    Instant at();

    /** The condition holds: {@code voters} are the agents that agree the port is unhealthy. */
    record Fired(Instant at, Set<String> voters) implements AlertTransition {}

    record Resolved(Instant at) implements AlertTransition {}

    /** Too many state changes: notified once; fire/resolve are held back until it settles. */
    record FlappingStarted(Instant at) implements AlertTransition {}

    record FlappingStopped(Instant at) implements AlertTransition {}
}
