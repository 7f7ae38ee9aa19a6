package io.portwatch.collector.ingest;

import io.portwatch.collector.CollectorSettings;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns to write to the database, shared by all agent streams ({@code portwatch.ingest.writers}
 * at a time). A stream that has messages to store asks for a turn and takes its waiting messages
 * only when the turn begins, so what arrives while it waits is stored in the same transaction;
 * fewer sessions then compete for the same table and index pages. Turns are given in the order
 * they were asked for. Nothing blocks a thread while it waits: a queued turn is a task that
 * runs on a worker thread when its turn comes.
 */
@ApplicationScoped
class IngestWriters {

    private final Executor worker;
    // Guarded by this.
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
    private int free;

    @Inject
    IngestWriters(CollectorSettings settings) {
        this(settings.ingest().writers().orElse(Math.max(2, Runtime.getRuntime().availableProcessors())),
                Infrastructure.getDefaultWorkerPool());
    }

    IngestWriters(int writers, Executor worker) {
        if (writers < 1) {
            throw new IllegalArgumentException("portwatch.ingest.writers must be at least 1, was " + writers);
        }
        this.free = writers;
        this.worker = worker;
    }

    /** Runs {@code turn} on a worker thread once a turn is free; the turn ends when it returns. */
    void submit(Runnable turn) {
        synchronized (this) {
            if (free == 0) {
                queued.add(turn);
                return;
            }
            free--;
        }
        run(turn);
    }

    private void run(Runnable turn) {
        try {
            worker.execute(() -> {
                try {
                    turn.run();
                } finally {
                    next();
                }
            });
        } catch (RejectedExecutionException e) {
            next(); // the pool is shutting down: the turn is given back, the stream ends with the call
            throw e;
        }
    }

    private void next() {
        Runnable turn;
        synchronized (this) {
            turn = queued.poll();
            if (turn == null) {
                free++;
                return;
            }
        }
        run(turn);
    }
}
