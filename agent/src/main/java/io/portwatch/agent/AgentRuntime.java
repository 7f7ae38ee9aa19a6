package io.portwatch.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.portwatch.agent.config.CheckConfig;
import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.config.CheckDirectoryWatcher;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.config.ConfigLoad;
import io.portwatch.agent.config.DirectoryDigest;
import io.portwatch.agent.config.WireLimits;
import io.portwatch.agent.probe.ConnectPath;
import io.portwatch.agent.probe.DnsCache;
import io.portwatch.agent.probe.HostResolver;
import io.portwatch.agent.probe.ProbeEngine;
import io.portwatch.agent.probe.ProbeLimits;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.agent.probe.ProbeRunner;
import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.TlsTrust;
import io.portwatch.agent.schedule.CheckScheduler;
import io.portwatch.agent.schedule.ScheduleStats;
import io.portwatch.agent.spool.Spool;
import io.portwatch.agent.transport.BatchAssembler;
import io.portwatch.agent.transport.CollectorLink;
import io.grpc.Channel;
import io.portwatch.proto.v1.Hello;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * The running agent: loads the check directory, schedules probes, streams results to the
 * collector, and re-reads the directory when it changes (watched, and scanned periodically). A broken directory never replaces a good
 * configuration: the error is logged and counted and the last good one keeps running.
 */
@ApplicationScoped
public class AgentRuntime {

    static final String VERSION = "0.1.0";

    private final AgentSettings settings;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();
    private final CheckDirectoryLoader loader;
    private final AtomicReference<CheckConfig> active = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** The stream's channel: host, port and TLS from quarkus.grpc.clients.collector (see CollectorTlsConfig). */
    private final Channel collectorChannel;

    private ProbeEngine engine;
    private ExecutorService resolverPool;
    private CheckScheduler scheduler;
    private Spool spool;
    private CollectorLink link;
    private BatchAssembler batches;
    private CheckDirectoryWatcher watcher;
    private ProbeMetrics probeMetrics;
    private IcmpBudgetMonitor icmpBudget;
    /** The context TLS probes use; the JVM's default one is made when a TLS check first appears. */
    private SSLContext probeTls;
    /** What the last read of the check directory saw; guarded by this. */
    private DirectoryDigest lastRead;

    AgentRuntime(AgentSettings settings, MeterRegistry metrics, @GrpcClient("collector") Channel collectorChannel) {
        this.collectorChannel = collectorChannel;
        this.settings = settings;
        this.metrics = metrics;
        this.loader = new CheckDirectoryLoader(settings.maxInstancesPerCheck());
    }

    void onStart(@Observes StartupEvent event) {
        String agentId = settings.agentId().orElseGet(AgentRuntime::hostName);
        List<String> badLabels = WireLimits.helloLabels(settings.labels());
        if (!badLabels.isEmpty()) {
            // The collector would refuse every Hello: better not to start than to retry forever.
            throw new IllegalStateException("portwatch.labels: " + String.join("; ", badLabels));
        }
        Hello hello = Hello.newBuilder()
                .setAgentId(agentId)
                .setHost(hostName())
                .setVersion(VERSION)
                .putAllLabels(settings.labels())
                .build();
        spool = Spool.open(spoolOptions(settings, agentId), clock);
        link = new CollectorLink(settings.collector(), collectorChannel, hello, clock, spool);
        // Seqs continue after the spool's newest, even if the clock stepped back since.
        long firstSeq = Math.max(clock.millis() * 1000, spool.lastSeq());
        batches = new BatchAssembler(settings.collector().maxBatchSize(), () -> firstSeq, spool::journal, link::submit);
        batches.resume(spool.takeRecoveredResults());
        probeTls = probeTls(settings.probe());
        engine = new ProbeEngine(probeLimits(settings.probe()), probeTls, ForkJoinPool.commonPool());
        resolverPool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dns-resolver");
            t.setDaemon(true);
            return t;
        });
        DnsCache dns = new DnsCache(HostResolver.SYSTEM, clock,
                settings.probe().dnsCacheTtl(), settings.probe().dnsNegativeCacheTtl());
        ProbeRunner runner = new ProbeRunner(engine, resolverPool, clock, dns);
        probeMetrics = new ProbeMetrics(metrics);
        scheduler = new CheckScheduler(runner::run, this::record, scheduleStats());
        icmpBudget = new IcmpBudgetMonitor(metrics, engine::learnedIcmpIntervalNanos, target -> dns.lookup(target, resolverPool));
        SpoolMetrics.register(metrics, spool);
        metrics.gauge("portwatch.agent.scheduled.instances", scheduler, CheckScheduler::scheduled);
        metrics.gauge("portwatch.agent.probes.in.flight", engine, ProbeEngine::inFlight);
        metrics.gauge("portwatch.agent.probes.queued", engine, ProbeEngine::queued);
        // Which way plain TCP connects are made (ffm-epoll or nio): constant 1, the path is the label.
        metrics.gauge("portwatch.agent.probe.engine.info",
                Tags.of("connect_path", engine.connectPath().id()), engine, e -> 1.0);
        String whyNio = ConnectPath.whyNio();
        Log.infof("probe engine: plain TCP connects on the %s path%s", engine.connectPath().id(),
                whyNio.isEmpty() ? "" : " (ffm-epoll not used: " + whyNio + ")");
        Log.infof("agent %s starting: checks from %s, collector %s:%d", agentId, checksDir().toAbsolutePath(),
                settings.collector().host(), settings.collector().port());
        reload();
        watch();
        link.start();
    }

    private static ProbeLimits probeLimits(AgentSettings.Probe probe) {
        return new ProbeLimits(probe.maxInFlight(), Math.min(probe.maxInFlight(), probe.maxInFlightPerTarget()),
                probe.udpStartsPerSecond(), probe.udpBurst());
    }

    /** The configured trust store (read now: a bad one stops the start), else the JVM's default, deferred. */
    private static SSLContext probeTls(AgentSettings.Probe probe) {
        if (probe.tlsTrustStore().isEmpty()) {
            return TlsTrust.jvmDefaultOnFirstUse();
        }
        Path store = Path.of(probe.tlsTrustStore().get());
        char[] password = probe.tlsTrustStorePassword().map(String::toCharArray).orElse(null);
        try {
            return TlsTrust.fromTrustStore(store, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("portwatch.probe.tls-trust-store " + store + ": " + e.getMessage(), e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            watcher.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (batches != null) {
            batches.flush();
        }
        if (link != null) {
            link.close();
        }
        if (spool != null) {
            spool.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (resolverPool != null) {
            resolverPool.shutdownNow();
        }
    }

    /**
     * Re-reads the directory; applies it only when valid and changed. Synchronized: the watcher
     * and the periodic scan both call it, and an older read must not be applied after a newer one.
     */
    @Scheduled(every = "${portwatch.reload-interval:5s}", delayed = "${portwatch.reload-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void reload() {
        if (scheduler == null) {
            return;
        }
        Optional<ConfigLoad> changed = loader.loadIfChanged(checksDir(), lastRead);
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

    /** Reloads soon after a change in the directory; the periodic scan stays as the fallback. */
    private void watch() {
        try {
            watcher = CheckDirectoryWatcher.start(checksDir(), this::reload);
        } catch (IOException e) {
            Log.warnf("cannot watch %s (%s); changes are picked up by the scan every %s", checksDir(),
                    e.getMessage(), settings.reloadInterval());
        }
    }

    /** The learned ICMP budgets change as probes run: compared with the demand every few seconds. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evaluateIcmpBudget() {
        if (icmpBudget != null) {
            icmpBudget.evaluate();
        }
    }

    /** What the UDP checks ask of their hosts' ICMP budgets, null before startup. */
    IcmpBudgetMonitor icmpBudget() {
        return icmpBudget;
    }

    @Scheduled(every = "${portwatch.collector.flush-interval:1s}")
    void flush() {
        if (batches != null) {
            batches.flush();
            link.heartbeatIfIdle();
            spool.tick();
        }
    }

    /** The running configuration, empty until a valid one was loaded. */
    public Optional<CheckConfig> activeConfig() {
        return Optional.ofNullable(active.get());
    }

    /** The last configuration error, empty when the newest read was valid. */
    public Optional<String> lastConfigError() {
        return Optional.ofNullable(lastError.get());
    }

    public CollectorLink link() {
        return link;
    }

    /** The spool, null before startup. */
    public Spool spool() {
        return spool;
    }

    static Spool.Options spoolOptions(AgentSettings settings, String agentId) {
        AgentSettings.Spool s = settings.spool();
        return new Spool.Options(Optional.of(Path.of(s.dir())), agentId, s.maxBytes().asLongValue(),
                s.segmentBytes().asLongValue(), s.fsync(), s.fsyncInterval(), s.retryInterval(),
                s.memoryMaxBytes().asLongValue());
    }

    private void apply(CheckConfig config) {
        lastError.set(null);
        CheckConfig previous = active.get();
        if (previous != null && previous.hash().equals(config.hash())) {
            return;
        }
        if (config.instances().stream().anyMatch(AgentRuntime::usesTls)) {
            // The trust store is loaded here, on the reloading thread, not by the first TLS probe on
            // the selector thread, where it would hold up every probe while it runs (270-500 ms in a
            // fresh JVM, measured at load 12).
            TlsTrust.resolve(probeTls);
        }
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

    private static boolean usesTls(CheckInstance instance) {
        return instance.probe() instanceof ProbeSpec.Tcp tcp && tcp.tls();
    }

    private void reject(ConfigLoad.Invalid invalid) {
        String text = String.join("\n", invalid.errors().stream().map(Object::toString).toList());
        if (!text.equals(lastError.getAndSet(text))) {
            metrics.counter("portwatch.agent.config.errors").increment();
            Log.errorf("check files in %s are invalid%s:%n%s", checksDir(),
                    active.get() == null ? "" : "; keeping the last good configuration", text);
        }
    }

    private void record(CheckInstance instance, ProbeResult result) {
        probeMetrics.record(instance.protocol(), result);
        batches.add(instance.key(), result);
    }

    private ScheduleStats scheduleStats() {
        Timer lateness = Timer.builder("portwatch.agent.schedule.lateness").publishPercentileHistogram().register(metrics);
        Counter skipped = metrics.counter("portwatch.agent.schedule.skipped");
        return new ScheduleStats() {
            @Override
            public void lateness(Duration late) {
                lateness.record(late.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void skipped() {
                skipped.increment();
            }
        };
    }

    private Path checksDir() {
        return Path.of(settings.checksDir());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
