package io.portwatch.agent.schedule;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.ProbeResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs every check instance at its interval. Each instance gets a fixed phase inside its interval
 * (from a hash of its key), so thousands of instances spread evenly instead of firing together,
 * and keep the same phase across reloads and restarts. Ticks are planned on an absolute timeline
 * (no drift); a tick that finds the previous probe of the same instance still running is skipped
 * and counted, never doubled.
 */
public final class CheckScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckScheduler.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "check-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Function<CheckInstance, CompletableFuture<ProbeResult>> prober;
    private final BiConsumer<CheckInstance, ProbeResult> sink;
    private final ScheduleStats stats;
    private final Map<String, Running> running = new HashMap<>();

    public CheckScheduler(Function<CheckInstance, CompletableFuture<ProbeResult>> prober,
            BiConsumer<CheckInstance, ProbeResult> sink, ScheduleStats stats) {
        this.prober = prober;
        this.sink = sink;
        this.stats = stats;
    }

    /** Makes the scheduled set equal to {@code instances}: unchanged ones keep running undisturbed. */
    public synchronized void apply(List<CheckInstance> instances) {
        Map<String, CheckInstance> wanted = new HashMap<>();
        instances.forEach(ci -> wanted.put(ci.key(), ci));
        running.entrySet().removeIf(e -> {
            CheckInstance now = wanted.get(e.getKey());
            if (now != null && now.equals(e.getValue().instance)) {
                return false;
            }
            e.getValue().future.cancel(false);
            return true;
        });
        for (CheckInstance ci : instances) {
            running.computeIfAbsent(ci.key(), k -> start(ci));
        }
    }

    public synchronized int scheduled() {
        return running.size();
    }

    private Running start(CheckInstance ci) {
        // Read per instance: the delay counts from the schedule call below. One reading for a whole
        // apply() would make every tick of the later instances late, for good, by the time the loop
        // had taken so far (a few hundred ms for 10,000 instances on a cold JVM).
        long nowMs = System.currentTimeMillis();
        long interval = ci.interval().toMillis();
        long firstMs = nowMs + Math.floorMod(phase(ci.key(), interval) - nowMs, interval);
        Running r = new Running(ci, firstMs);
        r.future = timer.scheduleAtFixedRate(() -> tick(r), firstMs - nowMs, interval, TimeUnit.MILLISECONDS);
        return r;
    }

    /** Stable offset in [0, interval) from the key, well mixed so similar keys spread. */
    static long phase(String key, long intervalMs) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L;
        return Math.floorMod(h ^ (h >>> 29), intervalMs);
    }

    private void tick(Running r) {
        long plannedMs = r.nextPlannedMs;
        r.nextPlannedMs += r.instance.interval().toMillis();
        stats.lateness(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - plannedMs)));
        if (r.inFlight) {
            stats.skipped();
            return;
        }
        r.inFlight = true;
        try {
            prober.apply(r.instance).whenComplete((result, error) -> {
                r.inFlight = false;
                if (result != null) {
                    sink.accept(r.instance, result);
                }
            });
        } catch (RuntimeException e) {
            // A task that throws would be cancelled for good by the executor: log and keep the schedule.
            r.inFlight = false;
            LOG.errorf(e, "probe of %s could not start", r.instance.key());
        }
    }

    /** One scheduled instance. Fields written by the timer thread and the probe completion. */
    private static final class Running {
        final CheckInstance instance;
        volatile long nextPlannedMs;
        volatile boolean inFlight;
        ScheduledFuture<?> future;

        Running(CheckInstance instance, long firstMs) {
            this.instance = instance;
            this.nextPlannedMs = firstMs;
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(r -> r.future.cancel(false));
        running.clear();
        timer.shutdownNow();
    }
}
