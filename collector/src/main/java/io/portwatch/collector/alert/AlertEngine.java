package io.portwatch.collector.alert;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portwatch.collector.Jobs;
import io.portwatch.collector.ingest.IngestEvent;
import io.portwatch.collector.leader.LeaderLock;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the alert evaluation on one thread of its own, in the order work arrives: batches as they
 * commit (a closed port is noticed on the batch that shows it), catalog changes, and the periodic
 * sweep. One thread keeps the state machines free of locks and off the ingest path; a full queue
 * makes ingest wait rather than grow without bound. Only the leader evaluates: the others drop the
 * work and, on becoming leader, start from what the old leader stored.
 */
@ApplicationScoped
public class AlertEngine {

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /** The most stored batches evaluated in one transaction. */
    static final int MAX_GROUP = 64;

    private final AlertEvaluator evaluator;
    private final LeaderLock leader;
    private final AgroalDataSource dataSource;
    private final ThreadPoolExecutor executor;
    /** Results of the batches queued: a batch takes its count (at most all) before it is queued. */
    private final Semaphore queuedResults;
    private final int maxQueuedResults;
    /** Empty when the sweep is off. */
    private final Optional<Duration> sweepInterval;
    private final Timer batchTimer;
    private final Timer sweepTimer;
    private final Clock clock = Clock.systemUTC();
    /** Confined to the engine's thread. */
    private boolean leading;

    AlertEngine(AlertEvaluator evaluator, LeaderLock leader, AgroalDataSource dataSource, AlertSettings settings,
            MeterRegistry metrics) {
        this.evaluator = evaluator;
        this.batchTimer = Timer.builder("portwatch.alert.evaluation").tag("work", "batch")
                .description("evaluating stored batches (those queued together, in one transaction)").register(metrics);
        this.sweepTimer = Timer.builder("portwatch.alert.evaluation").tag("work", "sweep")
                .description("one sweep: for conditions, agent-down, no-data").register(metrics);
        this.leader = leader;
        this.dataSource = dataSource;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
                    Thread t = new Thread(r, "alert-engine");
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> {
                    try {
                        // Back-pressure: the ingest thread waits for room, and with it its agent.
                        if (!pool.isShutdown()) pool.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("interrupted while the alert queue was full", e);
                    }
                });
        this.maxQueuedResults = settings.maxQueuedResults();
        this.sweepInterval = settings.sweepInterval();
        if (maxQueuedResults < 1) {
            throw new IllegalArgumentException("portwatch.alerts.max-queued-results must be at least 1, was "
                    + maxQueuedResults);
        }
        this.queuedResults = new Semaphore(maxQueuedResults);
        Gauge.builder("portwatch.alert.queued.results", this, e -> e.maxQueuedResults - e.queuedResults.availablePermits())
                .description("results of the stored batches waiting for the alert engine; ingest waits once"
                        + " portwatch.alerts.max-queued-results wait").register(metrics);
        Gauge.builder("portwatch.alert.queued", executor, pool -> pool.getQueue().size())
                .description("work waiting for the alert engine: stored batches (one each), sweeps, catalog changes;"
                        + " ingest waits once portwatch.alerts.queue-capacity wait").register(metrics);
    }

    /** After the ingest transaction committed (or at once when there was none). */
    void onIngest(@Observes(during = TransactionPhase.AFTER_SUCCESS) IngestEvent event) {
        if (event instanceof IngestEvent.BatchStored b) {
            evaluate(b);
        } else if (event instanceof IngestEvent.CatalogStored cs) {
            executor.execute(() -> evaluator.catalogChanged(cs.agentId()));
        }
    }

    /** Queues a stored batch for evaluation: one this replica stored, or one taken from the {@link AlertInbox}. */
    void evaluate(IngestEvent.BatchStored b) {
        // Back-pressure in results, not batches: the thread that stored the batch (and with it
        // its agent's stream) waits here until the engine has room for them.
        int permits = Math.min(Math.max(1, b.batch().getResultsCount()), maxQueuedResults);
        try {
            while (!queuedResults.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                if (executor.isShutdown()) {
                    return; // stopping: a new leader evaluates it from what is stored
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while the alert queue was full", e);
        }
        try {
            executor.execute(new BatchWork(b, permits));
        } catch (RuntimeException e) {
            queuedResults.release(permits);
            throw e;
        }
    }

    /**
     * A stored batch to evaluate. When its turn comes it takes the batches queued right behind it
     * (up to {@link #MAX_GROUP}) into the same transaction: under load one commit, and one write
     * per changed subject, serve many batches instead of one each. Other work in the queue (a
     * sweep, a catalog change) ends the group, so everything is still evaluated in arrival order.
     */
    private final class BatchWork implements Runnable {
        private final IngestEvent.BatchStored batch;
        private final int permits;

        BatchWork(IngestEvent.BatchStored batch, int permits) {
            this.batch = batch;
            this.permits = permits;
        }

        @Override
        public void run() {
            List<IngestEvent.BatchStored> group = new ArrayList<>();
            group.add(batch);
            int taken = permits;
            BlockingQueue<Runnable> queue = executor.getQueue();
            // Only this thread takes from the queue: the head seen is the head removed.
            while (group.size() < MAX_GROUP && queue.peek() instanceof BatchWork next && queue.remove(next)) {
                group.add(next.batch);
                taken += next.permits;
            }
            try {
                if (!AlertEngine.this.run(batchTimer, c -> evaluator.batches(c, group)) && group.size() > 1) {
                    // Evaluated again one by one from what is stored, so a batch that cannot be
                    // evaluated costs only its own evaluation.
                    for (IngestEvent.BatchStored b : group) {
                        AlertEngine.this.run(batchTimer, c -> evaluator.batches(c, List.of(b)));
                    }
                }
            } finally {
                queuedResults.release(taken);
            }
        }
    }

    /** Every sweep-interval, from the typed setting; no job when it is {@code off}. */
    void scheduleSweep(@Observes StartupEvent event, Scheduler jobs) {
        sweepInterval.ifPresent(every -> Jobs.every(jobs, "portwatch-alert-sweep", every, this::scheduledSweep));
    }

    void scheduledSweep() {
        sweep(clock.instant());
    }

    /** Evaluates what time decides (agent-down, {@code for:}, no-data) as of {@code now}; returns when done. */
    public void sweep(Instant now) {
        await(submit(sweepTimer, c -> evaluator.sweep(c, now)));
    }

    /** Returns once the work queued before this call is evaluated. */
    public void flush() {
        await(CompletableFuture.runAsync(() -> {}, executor));
    }

    /**
     * Keeps the engine's thread busy until {@code resume} is counted down; work queued meanwhile
     * waits behind it (tests use it to queue batches that are then evaluated together).
     */
    CompletableFuture<Void> hold(CountDownLatch resume) {
        return CompletableFuture.runAsync(() -> {
            try {
                resume.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, executor);
    }

    /** Drops the engine's memory, as a restart does: what follows is evaluated from what is stored. */
    public void forget() {
        await(CompletableFuture.runAsync(evaluator::forget, executor));
    }

    private CompletableFuture<Void> submit(Timer timer, Work work) {
        return CompletableFuture.runAsync(() -> run(timer, work), executor);
    }

    /** Runs the work in a transaction of its own; false when it failed (and the memory was dropped). */
    private boolean run(Timer timer, Work work) {
        boolean nowLeading = leader.isLeader();
        if (nowLeading != leading) {
            // What we remember may have been changed by the other leader meanwhile.
            evaluator.forget();
            leading = nowLeading;
        }
        if (!leading) {
            return true;
        }
        ManagedContext request = Arc.container().requestContext();
        request.activate();
        Timer.Sample sample = Timer.start();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    work.run(c);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            return true;
        } catch (RuntimeException e) {
            Log.errorf(e, "alert evaluation failed; the engine reloads its state from the database");
            evaluator.forget();
            return false;
        } finally {
            sample.stop(timer);
            request.terminate();
        }
    }

    private static void await(CompletableFuture<Void> f) {
        f.join();
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
