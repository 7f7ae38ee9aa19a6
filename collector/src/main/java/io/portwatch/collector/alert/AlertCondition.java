package io.portwatch.collector.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * When a subject fires and resolves: after {@code trigger} (N consecutive unhealthy results, or
 * unhealthy for a duration) on at least {@code quorum} voters (agents probing the same port),
 * and back to resolved once fewer than {@code quorum} voters are still unhealthy, a voter
 * counting as healthy again after {@code recoverAfter} consecutive healthy results.
 */
public record AlertCondition(Trigger trigger, int recoverAfter, int quorum, Flapping flapping) {

    public sealed interface Trigger {
        /** N consecutive unhealthy results. */
        record After(int results) implements Trigger {
            public After {
                if (results < 1) throw new IllegalArgumentException("after must be at least 1");
            }
        }

        /** Unhealthy without interruption for at least this long. */
        record For(Duration duration) implements Trigger {
            public For {
                Objects.requireNonNull(duration, "duration");
            }
        }
    }

    /**
     * Nagios-style flap detection over each voter's last {@code window} results: the share of
     * changes between consecutive results (0-100 %) above {@code highPercent} starts flapping,
     * below {@code lowPercent} (on every voter) ends it — the gap keeps it from flapping itself.
     */
    public record Flapping(int window, double lowPercent, double highPercent) {
        public static final Flapping DEFAULT = new Flapping(21, 25, 50);
    }

    public static final AlertCondition DEFAULT = new AlertCondition(new Trigger.After(3), 1, 1, Flapping.DEFAULT);

    public AlertCondition {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(flapping, "flapping");
        if (recoverAfter < 1) throw new IllegalArgumentException("recover_after must be at least 1");
        if (quorum < 1) throw new IllegalArgumentException("quorum must be at least 1");
    }
}
