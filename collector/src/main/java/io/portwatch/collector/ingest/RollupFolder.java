package io.portwatch.collector.ingest;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.CommandMode;
import io.portwatch.collector.history.ResultRow;
import io.portwatch.collector.uptime.RollupRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Adds committed results to the rollups off the ingest path. Each ingest transaction hands over
 * its rows once it has committed; the folder sums them in memory and, every
 * {@code portwatch.rollups.fold-interval} (sooner past {@code fold-rows}), adds the sums in one
 * transaction that also deletes their blocks from the backlog. Under load one fold carries many
 * results of each check, so a rollup row is rewritten once per fold instead of once per result.
 *
 * <p>The backlog is the truth, memory only an optimisation: when a fold fails, or finds that some
 * of its blocks were folded elsewhere, it rolls back and drops what it held, and those blocks are
 * read back from the raw results once they are older than {@code orphan-after} — by any replica,
 * which also covers a collector that crashed with results in memory.
 */
@ApplicationScoped
public class RollupFolder {

    /** A fold found fewer of its blocks in the backlog than it holds: someone else folded them. */
    private static final class FoldedElsewhere extends RuntimeException {
        FoldedElsewhere(int expected, int found) {
            super(found + " of " + expected + " blocks were still in the backlog");
        }
    }

    private static final int RECOVER_BLOCKS = 16;
    private static final int RECOVER_ROUNDS = 64;
    private static final int NEWEST_SLICE = 1000;

    private final AgroalDataSource dataSource;
    private final RollupBacklog backlog;
    private final RollupRepository rollups;
    private final LastResultWriter lastResults;
    private final CollectorSettings.Rollups settings;
    private final Timer foldTimer;
    private final Counter folded;
    private final Counter recovered;
    private final Counter dropped;

    private final Object lock = new Object();
    /** Guarded by lock: what committed since the last fold began, and what that fold holds. */
    private RollupDelta pending = new RollupDelta();
    private RollupDelta inFlight;
    private boolean running;
    /** Serializes folds and recoveries of this process. */
    private final Object foldLock = new Object();
    private Thread thread;

    RollupFolder(AgroalDataSource dataSource, RollupBacklog backlog, RollupRepository rollups, LastResultWriter lastResults,
            CollectorSettings settings, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.backlog = backlog;
        this.rollups = rollups;
        this.lastResults = lastResults;
        this.settings = settings.rollups();
        this.foldTimer = Timer.builder("portwatch.rollup.fold").description("one fold of committed results into the rollups")
                .register(metrics);
        this.folded = Counter.builder("portwatch.rollup.folded.results").tag("source", "memory")
                .description("results added to the rollups").register(metrics);
        this.recovered = Counter.builder("portwatch.rollup.folded.results").tag("source", "backlog")
                .description("results added to the rollups").register(metrics);
        this.dropped = Counter.builder("portwatch.rollup.dropped.folds")
                .description("folds rolled back: their blocks are recovered from the backlog").register(metrics);
        Gauge.builder("portwatch.rollup.pending.results", this, RollupFolder::pendingRows)
                .description("committed results this collector holds for its next fold").register(metrics);
    }

    void start(@Observes StartupEvent ignored) {
        if (CommandMode.active()) {
            return; // a command ingests nothing, and must not recover another collector's blocks
        }
        synchronized (lock) {
            running = true;
        }
        thread = new Thread(this::loop, "rollup-folder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Folds what it holds before the database goes away. */
    void stop(@Observes ShutdownEvent ignored) {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Takes the rows of a committed ingest transaction. Waits (and with it the agent) while the
     * folder is more than {@code max-pending-rows} behind.
     */
    void accept(List<Long> blocks, List<ResultRow> rows) {
        synchronized (lock) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running && pending.rows() >= settings.maxPendingRows() && System.nanoTime() < deadline) {
                lock.notifyAll();
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            pending.blocks.addAll(blocks);
            rows.forEach(pending::add);
            if (pending.rows() >= settings.foldRows()) {
                lock.notifyAll();
            }
        }
    }

    /** The newest result of each of {@code checkIds} that committed but is not folded yet (absent: none). */
    Map<Long, Instant> pendingNewest(Collection<Long> checkIds) {
        Map<Long, Instant> out = new HashMap<>();
        synchronized (lock) {
            for (Long id : checkIds) {
                ResultRow a = pending.newest.get(id);
                ResultRow b = inFlight == null ? null : inFlight.newest.get(id);
                ResultRow newest = a == null ? b : b == null ? a : RollupDelta.newer(a, b);
                if (newest != null) {
                    out.put(id, newest.observedAt());
                }
            }
        }
        return out;
    }

    /** Folds what this collector holds, now, and returns when it is committed. */
    public void foldNow() {
        fold();
    }

    /** Drops what this collector holds without folding it, as a crash would: recovery must find it. */
    public void forget() {
        synchronized (lock) {
            pending = new RollupDelta();
        }
    }

    /** Folds blocks older than {@code age} that no fold of this collector holds; returns the results folded. */
    public long recover(Duration age) {
        long total = 0;
        for (int round = 0; round < RECOVER_ROUNDS; round++) {
            long n = recoverSome(age);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private double pendingRows() {
        synchronized (lock) {
            return pending.rows() + (inFlight == null ? 0 : inFlight.rows());
        }
    }

    private void loop() {
        long interval = settings.foldInterval().toNanos();
        long nextRecover = System.nanoTime() + settings.recoverInterval().toNanos();
        while (true) {
            boolean last;
            synchronized (lock) {
                long due = System.nanoTime() + interval;
                while (running && pending.rows() < settings.foldRows() && System.nanoTime() < due) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, due - System.nanoTime()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                last = !running;
            }
            fold();
            if (last) {
                return;
            }
            if (System.nanoTime() >= nextRecover) {
                try {
                    recover(settings.orphanAfter());
                } catch (RuntimeException e) {
                    Log.warnf(e, "recovering unfolded rollup blocks failed; retrying in %s", settings.recoverInterval());
                }
                nextRecover = System.nanoTime() + settings.recoverInterval().toNanos();
            }
        }
    }

    private void fold() {
        synchronized (foldLock) {
            RollupDelta delta;
            synchronized (lock) {
                if (pending.isEmpty()) {
                    return;
                }
                delta = pending;
                inFlight = delta;
                pending = new RollupDelta();
                lock.notifyAll();
            }
            Timer.Sample sample = Timer.start();
            try {
                inTransaction(c -> {
                    int found = backlog.delete(c, delta.blocks);
                    if (found != delta.blocks.size()) {
                        throw new FoldedElsewhere(delta.blocks.size(), found);
                    }
                    rollups.add(c, delta.hourly, delta.daily());
                });
                folded.increment(delta.rows());
                writeNewest(delta);
            } catch (FoldedElsewhere e) {
                dropped.increment();
                Log.warnf("rollup fold rolled back: %s; the rest are folded from the backlog after %s", e.getMessage(),
                        settings.orphanAfter());
            } catch (RuntimeException e) {
                dropped.increment();
                Log.errorf(e, "rollup fold of %d results failed; they are folded from the backlog after %s",
                        delta.rows(), settings.orphanAfter());
            } finally {
                sample.stop(foldTimer);
                synchronized (lock) {
                    inFlight = null;
                }
            }
        }
    }

    /**
     * Each check's newest result, in a short transaction of its own after the fold's (it holds
     * check rows that ingest may want). Moving forward only, it needs no exactly-once: should it
     * fail, the check shows its previous newest result until the next fold.
     */
    private void writeNewest(RollupDelta delta) {
        try {
            // In slices, so that each holds its check rows for a few milliseconds only.
            List<Map<Long, ResultRow>> slices = new ArrayList<>();
            Map<Long, ResultRow> slice = new TreeMap<>();
            for (Map.Entry<Long, ResultRow> e : new TreeMap<>(delta.newest).entrySet()) {
                slice.put(e.getKey(), e.getValue());
                if (slice.size() == NEWEST_SLICE) {
                    slices.add(slice);
                    slice = new TreeMap<>();
                }
            }
            slices.add(slice);
            for (Map<Long, ResultRow> s : slices) {
                inTransaction(c -> lastResults.write(c, s));
            }
        } catch (RuntimeException e) {
            Log.warnf(e, "writing the newest results of %d checks failed; the next fold writes newer ones",
                    delta.newest.size());
        }
    }

    /** @return results folded, or -1 when there was nothing to recover */
    private long recoverSome(Duration age) {
        synchronized (foldLock) {
            List<Long> held;
            synchronized (lock) {
                held = new ArrayList<>(pending.blocks);
            }
            RollupDelta delta = new RollupDelta();
            inTransaction(c -> {
                List<RollupBacklog.Block> orphans = backlog.claimOrphans(c, age, held, RECOVER_BLOCKS);
                if (orphans.isEmpty()) {
                    return;
                }
                for (RollupBacklog.Block b : orphans) {
                    backlog.rows(c, b, delta::add);
                    delta.blocks.add(b.firstId());
                }
                backlog.delete(c, delta.blocks);
                rollups.add(c, delta.hourly, delta.daily());
                Log.infof("folded %d results of %d backlog blocks no live fold held (oldest from agent %s)",
                        delta.rows(), orphans.size(), orphans.get(0).agentId());
            });
            if (delta.isEmpty()) {
                return -1;
            }
            recovered.increment(delta.rows());
            writeNewest(delta);
            return delta.rows();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                work.run(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
