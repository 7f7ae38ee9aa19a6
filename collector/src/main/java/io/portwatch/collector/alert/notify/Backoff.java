package io.portwatch.collector.alert.notify;

import java.time.Duration;

/** Exponential backoff: initial, 2×, 4× … up to a cap. */
record Backoff(Duration initial, Duration max) {

    /** The wait after the given number of failed attempts (1 = the first failure). */
    Duration after(int failedAttempts) {
        int doublings = Math.max(0, failedAttempts - 1);
        // beyond 2^30 the cap has long been reached; shifting further would overflow
        if (doublings >= 30) return max;
        Duration d = initial.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }
}
