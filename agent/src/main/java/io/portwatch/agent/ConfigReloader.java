package io.portwatch.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.portwatch.agent.config.CheckConfig;
import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.config.CheckDirectoryWatcher;
import io.portwatch.agent.config.ConfigLoad;
import io.portwatch.agent.config.DirectoryDigest;
import io.portwatch.agent.probe.ProbeEngine;
import io.portwatch.agent.schedule.CheckScheduler;
import io.portwatch.agent.transport.CollectorLink;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the check directory and applies it: at start ({@link AgentLifecycle}), soon after a change
 * (watched), and every {@code portwatch.reload-interval} (the fallback where watching misses
 * changes). A broken directory never replaces a good configuration: the error is logged and
 * counted and the last good one keeps running. A valid, changed one goes to the scheduler, the
 * ICMP budget monitor and the collector (as the catalog).
 */
@ApplicationScoped
public class ConfigReloader {

    private final Path checksDir;
    private final Duration scanInterval;
    private final CheckDirectoryLoader loader;
    private final CheckScheduler scheduler;
    private final IcmpBudgetMonitor icmpBudget;
    private final CollectorLink link;
    private final ProbeEngine engine;
    private final MeterRegistry metrics;
    private final AtomicReference<CheckConfig> active = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** Watching the directory; empty when the system gives no watch service (the scan remains). */
    private final Optional<CheckDirectoryWatcher> watcher;
    /** What the last read of the check directory saw; guarded by this. */
    private DirectoryDigest lastRead;

    ConfigReloader(AgentSettings settings, CheckScheduler scheduler, IcmpBudgetMonitor icmpBudget, CollectorLink link,
            ProbeEngine engine, MeterRegistry metrics, ExecutorService workers) {
        this.checksDir = Path.of(settings.checksDir());
        this.scanInterval = settings.reloadInterval();
        this.loader = ProbeSetup.loader(settings);
        this.scheduler = scheduler;
        this.icmpBudget = icmpBudget;
        this.link = link;
        this.engine = engine;
        this.metrics = metrics;
        this.watcher = watch(checksDir, workers, settings);
    }

    /** Reloads soon after a change in the directory; the periodic scan stays as the fallback. */
    private Optional<CheckDirectoryWatcher> watch(Path dir, ExecutorService workers, AgentSettings settings) {
        try {
            return Optional.of(CheckDirectoryWatcher.start(dir, workers, this::reload));
        } catch (IOException e) {
            Log.warnf("cannot watch %s (%s); changes are picked up by the scan every %s", dir,
                    e.getMessage(), settings.reloadInterval());
            return Optional.empty();
        }
    }

    /**
     * The periodic scan, every reload-interval as the settings read it: the scheduler gets the
     * typed Duration, not the property's text to parse with a grammar of its own.
     */
    void scheduleScan(@Observes StartupEvent event, Scheduler jobs) {
        jobs.newJob("portwatch-config-scan")
                .setInterval(scanInterval.toString())
                .setDelayed(scanInterval.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> reload())
                .schedule();
    }

    /**
     * Re-reads the directory; applies it only when valid and changed. Synchronized: the watcher
     * and the periodic scan both call it, and an older read must not be applied after a newer one.
     */
    synchronized void reload() {
        Optional<ConfigLoad> changed = loader.loadIfChanged(checksDir, lastRead);
        if (changed.isEmpty()) {
            return; // the same files as last time: the same outcome, already applied or reported
        }
        ConfigLoad load = changed.get();
        lastRead = load.digest();
        if (load instanceof ConfigLoad.Loaded loaded) {
            apply(loaded.config());
        } else {
            reject((ConfigLoad.Invalid) load);
        }
    }

    /** Stops watching the directory (the first step of the agent's stop). */
    void stopWatching() {
        watcher.ifPresent(CheckDirectoryWatcher::close);
    }

    /** The running configuration, empty until a valid one was loaded. */
    public Optional<CheckConfig> activeConfig() {
        return Optional.ofNullable(active.get());
    }

    /** The last configuration error, empty when the newest read was valid. */
    public Optional<String> lastConfigError() {
        return Optional.ofNullable(lastError.get());
    }

    Path checksDir() {
        return checksDir;
    }

    private void apply(CheckConfig config) {
        lastError.set(null);
        CheckConfig previous = active.get();
        if (previous != null && previous.hash().equals(config.hash())) {
            return;
        }
        ProbeSetup.loadTrustFor(config.instances(), engine.tls());
        scheduler.apply(config.instances());
        icmpBudget.apply(config.instances());
        active.set(config);
        link.catalog(config);
        if (previous != null) {
            metrics.counter("portwatch.agent.config.reloads").increment();
        }
        Log.infof("config %s: %d files, %d checks, %d check instances", config.hash().substring(0, 12),
                config.files(), config.checks(), config.instances().size());
    }

    private void reject(ConfigLoad.Invalid invalid) {
        String text = String.join("\n", invalid.errors().stream().map(Object::toString).toList());
        if (!text.equals(lastError.getAndSet(text))) {
            metrics.counter("portwatch.agent.config.errors").increment();
            Log.errorf("check files in %s are invalid%s:%n%s", checksDir,
                    active.get() == null ? "" : "; keeping the last good configuration", text);
        }
    }
}
