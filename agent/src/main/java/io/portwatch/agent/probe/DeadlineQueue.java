package io.portwatch.agent.probe;

import java.util.PriorityQueue;

/**
 * The next wake-up time of every in-flight probe, nearest first. Each probe has at most one entry
 * (its next retransmit or its deadline), so the queue never holds more than the in-flight limit and
 * a finished probe's entry is removed at once instead of lingering until its deadline. Selector
 * thread only. Times are {@link System#nanoTime()} values, compared by difference (overflow-safe).
 */
final class DeadlineQueue {

    private final PriorityQueue<InFlightProbe> queue =
            new PriorityQueue<>((a, b) -> Long.compare(a.wakeAtNanos - b.wakeAtNanos, 0));

    void schedule(InFlightProbe probe, long atNanos) {
        // The key must not change while the probe is in the heap: remove, update, re-add.
        if (probe.scheduled) {
            queue.remove(probe);
        }
        probe.wakeAtNanos = atNanos;
        probe.scheduled = true;
        queue.add(probe);
    }

    void cancel(InFlightProbe probe) {
        if (probe.scheduled) {
            queue.remove(probe);
            probe.scheduled = false;
        }
    }

    /** Nanoseconds until the nearest wake-up (0 if due), or {@link Long#MAX_VALUE} when none. */
    long nanosUntilNext(long nowNanos) {
        InFlightProbe head = queue.peek();
        return head == null ? Long.MAX_VALUE : Math.max(0, head.wakeAtNanos - nowNanos);
    }

    /** Removes and returns a probe whose wake-up time has come, or null. */
    InFlightProbe pollDue(long nowNanos) {
        InFlightProbe head = queue.peek();
        if (head == null || head.wakeAtNanos - nowNanos > 0) {
            return null;
        }
        queue.poll();
        head.scheduled = false;
        return head;
    }
}
