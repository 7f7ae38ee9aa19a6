package io.portwatch.collector.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portwatch.collector.CollectorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of agent messages all streams together have read but not yet stored
 * ({@code portwatch.ingest.max-buffered}). A stream asks gRPC for a message only with a
 * reservation from here, so the messages in the collector's memory are bounded by this setting,
 * not by the number of agents or by what they hold: once it is spent, the other streams read
 * nothing and their agents wait on HTTP/2 flow control until stored messages give bytes back.
 *
 * <p>A message's size is known only when it has arrived: a request reserves the typical size of
 * the messages seen so far, and the arrival trades that reservation for the real size. A stream
 * that gets nothing waits in line and is served first, in order, when bytes come back, so every
 * agent gets its turn. With nothing buffered a reservation is always granted (one oversized
 * message still moves).
 */
@ApplicationScoped
class IngestBudget {

    /** A stream waiting for bytes: called back (with no lock held) when there may be some. */
    interface Waiter {
        void budgetFreed();
    }

    /** The first guess of a message's size: a batch of 500 results is about 40 KB. */
    static final long INITIAL_ESTIMATE = 64 * 1024;

    private final long limit;
    // Guarded by this.
    private long used;
    private long estimate = INITIAL_ESTIMATE;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    @Inject
    IngestBudget(CollectorSettings settings, MeterRegistry metrics) {
        this(settings.ingest().maxBuffered().asLongValue());
        Gauge.builder("portwatch.ingest.buffered.bytes", this, IngestBudget::used).baseUnit("bytes")
                .description("agent messages read (or asked for) but not yet stored, out of portwatch.ingest.max-buffered")
                .register(metrics);
        Gauge.builder("portwatch.ingest.waiting.streams", this, IngestBudget::waitingStreams)
                .description("agent streams that read nothing until stored messages free buffer bytes").register(metrics);
    }

    IngestBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("portwatch.ingest.max-buffered must be positive, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Reserves room for one more message, or returns 0 (then {@code waiter} is called once there
     * may be room again). Streams already waiting go first.
     */
    synchronized long reserve(Waiter waiter, boolean queued) {
        if ((queued || waiting.isEmpty()) && (used == 0 || used + estimate <= limit)) {
            used += estimate;
            return estimate;
        }
        if (!waiting.contains(waiter)) {
            waiting.add(waiter);
        }
        return 0;
    }

    /**
     * A requested message arrived: its reservation becomes its real size. Only batches teach the
     * estimate (a storm of tiny Hellos once taught it 1 KB, and every stream was granted its whole
     * window of 30 KB batches): it rises at once to a larger batch and falls slowly, so that a
     * reservation rarely falls short.
     */
    synchronized void arrived(long reserved, long size, boolean batch) {
        used += size - reserved;
        if (batch) {
            estimate = size >= estimate ? size : Math.max(1024, estimate - (estimate - size) / 64);
        }
    }

    /** Bytes given back: messages stored or dropped, reservations no message will use. */
    void release(long bytes) {
        List<Waiter> wake;
        synchronized (this) {
            used -= bytes;
            if (waiting.isEmpty() || (used != 0 && used + estimate > limit)) {
                return;
            }
            // As many as there is room for, in order; one that gets nothing queues up again.
            long room = used == 0 ? 1 : Math.max(1, (limit - used) / estimate);
            wake = new ArrayList<>();
            while (!waiting.isEmpty() && wake.size() < room) {
                wake.add(waiting.poll());
            }
        }
        wake.forEach(Waiter::budgetFreed);
    }

    /** The stream ended: it waits for nothing any more. */
    synchronized void forget(Waiter waiter) {
        waiting.remove(waiter);
    }

    synchronized long used() {
        return used;
    }

    synchronized int waitingStreams() {
        return waiting.size();
    }

    long limit() {
        return limit;
    }
}
