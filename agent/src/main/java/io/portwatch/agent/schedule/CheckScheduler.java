package io.portwatch.agent.schedule;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.core.check.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs every check instance at its interval. Each instance gets a fixed phase inside its interval
 * (from a hash of its key; UDP instances of one host are spaced evenly, see {@link #udpPhases}), so
 * thousands of instances spread evenly instead of firing together, and keep the same phase across
 * reloads and restarts. Ticks are planned on an absolute timeline
 * (no drift); a tick that finds the previous probe of the same instance still running is skipped
 * and counted, never doubled.
 *
 * <p>One thread and one queue, nearest tick first: the thread sleeps until the head is due, runs
 * every tick that is due, and sleeps again, at least {@link #BATCH_MS}. No task object, future or
 * lambda per tick: at 1,000 ticks per second the scheduler's own cost is a wake-up per 10 ms and a
 * heap operation per tick.
 *
 * <p>Results come back on whatever thread finished the probe (the probe engine's selector thread)
 * and only join a queue there; this thread takes them in bulk when it wakes for its next tick and
 * hands them to the sink. So the selector thread does network I/O only, no thread is woken per
 * result, and the in-flight flag of an instance is read and written by this thread alone.
 */
public final class CheckScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CheckScheduler.class);
    /** Longest wait for results while probes are in flight and no tick is due. */
    private static final long RESULT_WAIT_MS = 50;
    /**
     * Shortest sleep: ticks due within it start together, up to this much late. At 1,000 ticks a
     * second this thread, and the probe engine's selector it hands the probes to, wake about 100
     * times a second instead of once per tick (each wake-up is two context switches, which was most
     * of both threads' kernel time). Measured with bench/schedule on Temurin 25 at load 1.0: CPU
     * 15.0 % of a core waking per tick, 13.2 % at 4 ms, 11.0 % at 10 ms, with lateness p99 1.9, 4.2 and
     * 10.9 ms: half the lateness budget (p99 < 20 ms) buys a quarter of the agent's CPU.
     */
    static final long BATCH_MS = 10;
    private static final long CLOSE_WAIT_MS = 2_000;

    /** Starts one probe of an instance and calls {@code onResult} once when it has a result. */
    @FunctionalInterface
    public interface Prober {
        void probe(CheckInstance instance, Consumer<ProbeResult> onResult);
    }

    private final Prober prober;
    private final BiConsumer<CheckInstance, ProbeResult> sink;
    private final ScheduleStats stats;
    /** Guarded by this; so are the queue and every Running's nextPlannedMs and cancelled. */
    private final Map<String, Running> running = new HashMap<>();
    private final PriorityQueue<Running> queue =
            new PriorityQueue<>((a, b) -> Long.compare(a.nextPlannedMs, b.nextPlannedMs));
    /** Results not yet handed to the sink; any thread adds, the scheduler thread takes. */
    private final Queue<Running> completed = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private boolean closed;
    /** Probes started and not taken back from {@link #completed}; scheduler thread only. */
    private int inFlight;

    /**
     * @param prober starts probes; its {@code onResult} may be called from any thread
     * @param sink receives every result, on the scheduler's thread
     */
    public CheckScheduler(Prober prober, BiConsumer<CheckInstance, ProbeResult> sink, ScheduleStats stats) {
        this.prober = prober;
        this.sink = sink;
        this.stats = stats;
        // A dedicated thread, not a pool's or the Quarkus scheduler's: the loop holds this object's
        // monitor and sleeps in wait() until the next tick (a timer task per tick would cost the
        // allocation and hand-off the class comment avoids), its lateness is measured against a
        // p99 budget of 20 ms that a shared pool's queue would eat into, and the in-flight flags are
        // this thread's alone.
        thread = new Thread(this::loop, "check-scheduler");
        thread.setDaemon(true);
        thread.start();
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
            e.getValue().cancelled = true; // a probe in flight still reports; no new tick comes
            return true;
        });
        queue.removeIf(r -> r.cancelled);
        Map<String, Long> udpPhases = udpPhases(instances);
        for (CheckInstance ci : instances) {
            running.computeIfAbsent(ci.key(), k -> {
                // The clock is read per instance: one reading for the whole loop would put the first
                // ticks of the later instances in the past (the loop takes a few hundred ms for 10,000
                // instances on a cold JVM), and they would all run at once, late.
                long phase = udpPhases.getOrDefault(k, -1L);
                Running r = new Running(ci, firstTick(ci, phase >= 0 ? phase : phase(k, ci.interval().toMillis()),
                        System.currentTimeMillis()));
                queue.add(r);
                return r;
            });
        }
        notifyAll(); // the head may have changed
    }

    public synchronized int scheduled() {
        return running.size();
    }

    /** The first tick at or after {@code nowMs} on the instance's phase. */
    private static long firstTick(CheckInstance ci, long phaseMs, long nowMs) {
        long interval = ci.interval().toMillis();
        return nowMs + Math.floorMod(phaseMs - nowMs, interval);
    }

    /**
     * Phases of the UDP instances: those of one target and interval are spaced evenly over the
     * interval (the i-th of N, by key, at i/N of it, from an offset hashed from the target), so
     * the host's probes, and the ICMP answers they need from its rate-limited budget, never come
     * in a burst that hashed phases could form. TCP keeps the hashed phase. A reload moves no
     * running instance (see {@link #apply}); only new ones take the phase of the new spacing.
     */
    static Map<String, Long> udpPhases(List<CheckInstance> instances) {
        Map<String, List<String>> groups = new HashMap<>();
        for (CheckInstance ci : instances) {
            if (ci.protocol() == Protocol.UDP) {
                groups.computeIfAbsent(ci.target() + "|" + ci.interval().toMillis(), g -> new ArrayList<>()).add(ci.key());
            }
        }
        Map<String, Long> phases = new HashMap<>();
        groups.forEach((group, keys) -> {
            long interval = Long.parseLong(group.substring(group.lastIndexOf('|') + 1));
            long offset = phase(group, interval);
            keys.sort(null);
            for (int i = 0; i < keys.size(); i++) {
                phases.put(keys.get(i), (offset + i * interval / keys.size()) % interval);
            }
        });
        return phases;
    }

    /** Stable offset in [0, interval) from the key, well mixed so similar keys spread. */
    static long phase(String key, long intervalMs) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L;
        return Math.floorMod(h ^ (h >>> 29), intervalMs);
    }

    private synchronized void loop() {
        while (!closed) {
            drainCompleted();
            Running head = queue.peek();
            long nowMs = System.currentTimeMillis();
            try {
                if (head == null || head.nextPlannedMs > nowMs) {
                    // While probes are out, wake often enough to pass their results on promptly even
                    // when the next tick is far off (a few instances with long intervals).
                    long untilTick = head == null ? Long.MAX_VALUE : Math.max(head.nextPlannedMs - nowMs, BATCH_MS);
                    long wait = inFlight > 0 ? Math.min(untilTick, RESULT_WAIT_MS) : untilTick;
                    wait(wait == Long.MAX_VALUE ? 0 : wait);
                    continue;
                }
            } catch (InterruptedException e) {
                return; // close()
            }
            queue.poll();
            long plannedMs = head.nextPlannedMs;
            head.nextPlannedMs += head.intervalMs;
            queue.add(head);
            tick(head, plannedMs, nowMs);
        }
    }

    /** Hands the results that came back since the last wake-up to the sink. */
    private void drainCompleted() {
        for (Running r; (r = completed.poll()) != null; ) {
            ProbeResult result = r.result;
            r.result = null;
            r.inFlight = false;
            inFlight--;
            try {
                sink.accept(r.instance, result);
            } catch (RuntimeException e) {
                LOG.errorf(e, "result of %s could not be recorded", r.instance.key());
            }
        }
    }

    private void tick(Running r, long plannedMs, long nowMs) {
        stats.lateness(Duration.ofMillis(Math.max(0, nowMs - plannedMs)));
        if (r.inFlight) {
            stats.skipped();
            return;
        }
        r.inFlight = true;
        inFlight++;
        try {
            prober.probe(r.instance, r.onResult);
        } catch (RuntimeException e) {
            // One instance that cannot start must not end the schedule of the others.
            if (r.inFlight && r.result == null) {
                r.inFlight = false;
                inFlight--;
            }
            LOG.errorf(e, "probe of %s could not start", r.instance.key());
        }
    }

    /** One scheduled instance. */
    private final class Running {
        final CheckInstance instance;
        final long intervalMs;
        /** Built once: a tick allocates nothing for its callback. */
        final Consumer<ProbeResult> onResult;
        long nextPlannedMs;
        boolean cancelled;
        /** Scheduler thread only: a probe was started and its result not yet taken. */
        boolean inFlight;
        /** Written by the thread that completed the probe; published by the queue. */
        ProbeResult result;

        Running(CheckInstance instance, long firstMs) {
            this.instance = instance;
            this.intervalMs = instance.interval().toMillis();
            this.nextPlannedMs = firstMs;
            this.onResult = result -> {
                this.result = result;
                completed.add(this);
            };
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            running.clear();
            queue.clear();
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            drainCompleted(); // results that came back before close still reach the sink
        }
    }
}
