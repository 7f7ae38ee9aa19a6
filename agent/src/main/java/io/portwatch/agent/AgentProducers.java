package io.portwatch.agent;

import io.grpc.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.portwatch.agent.config.WireLimits;
import io.portwatch.agent.probe.ConnectPath;
import io.portwatch.agent.probe.DnsCache;
import io.portwatch.agent.probe.ProbeEngine;
import io.portwatch.agent.probe.ProbeRunner;
import io.portwatch.agent.schedule.CheckScheduler;
import io.portwatch.agent.schedule.ScheduleStats;
import io.portwatch.agent.spool.Spool;
import io.portwatch.agent.transport.BatchAssembler;
import io.portwatch.agent.transport.CollectorLink;
import io.portwatch.proto.v1.Hello;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.threads.ViewExecutor;

/**
 * Builds the agent's pipeline from its settings: each part is a bean, made once and handed to the
 * parts that use it. {@link AgentLifecycle} starts and stops them.
 *
 * <p>The parts are {@code @Singleton}, not {@code @ApplicationScoped}: no client proxy stands between
 * the scheduler, the runner, the engine and the batch assembler, the path every probe and result
 * takes. Threads come from Quarkus' worker pool ({@code ExecutorService}, {@code
 * ScheduledExecutorService}) except the probe engine's selector and the scheduler's, which say
 * why in their code.
 */
@Singleton
class AgentProducers {

    static final String VERSION = "0.1.0";
    /** Host-name lookups at once: a few let several names resolve together, without a thread per name. */
    static final int RESOLVER_THREADS = 4;

    private final AgentSettings settings;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    AgentProducers(AgentSettings settings, MeterRegistry metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Who this agent is, sent first on every stream; invalid labels stop the start. */
    @Produces
    @Singleton
    Hello hello() {
        List<String> badLabels = WireLimits.helloLabels(settings.labels());
        if (!badLabels.isEmpty()) {
            // The collector would refuse every Hello: better not to start than to retry forever.
            throw new IllegalStateException("portwatch.labels: " + String.join("; ", badLabels));
        }
        return Hello.newBuilder()
                .setAgentId(settings.agentId().orElseGet(AgentProducers::hostName))
                .setHost(hostName())
                .setVersion(VERSION)
                .putAllLabels(settings.labels())
                .build();
    }

    @Produces
    @Singleton
    Spool spool(Hello hello) {
        Spool spool = Spool.open(spoolOptions(settings, hello.getAgentId()), clock);
        SpoolMetrics.register(metrics, spool);
        return spool;
    }

    /** The stream's channel: host, port and TLS from quarkus.grpc.clients.collector (see CollectorTlsConfig). */
    @Produces
    @Singleton
    CollectorLink link(@GrpcClient("collector") Channel collectorChannel, Hello hello, Spool spool,
            ExecutorService workers, ScheduledExecutorService timer) {
        return new CollectorLink(settings.collector(), collectorChannel, hello, clock, spool, workers, timer);
    }

    /** Batches cut from the results, journaled to the spool and handed to the link. */
    @Produces
    @Singleton
    BatchAssembler batches(Spool spool, CollectorLink link) {
        // Seqs continue after the spool's newest, even if the clock stepped back since.
        long firstSeq = Math.max(clock.millis() * 1000, spool.lastSeq());
        BatchAssembler batches = new BatchAssembler(settings.collector().maxBatchSize(), () -> firstSeq,
                spool::journal, link::submit);
        batches.resume(spool.takeRecoveredResults());
        return batches;
    }

    /**
     * The probe engine with the configured limits and trust store. Its futures complete on Quarkus'
     * worker pool; its TLS handshakes' delegated tasks run on a bounded view of it.
     */
    @Produces
    @Singleton
    ProbeEngine engine(ExecutorService workers) {
        ExecutorService tlsWorkers = ViewExecutor.builder(workers).setMaxSize(ProbeEngine.TLS_WORKERS)
                .setQueueLimit(ProbeEngine.WORKER_QUEUE).build();
        ProbeEngine engine = new ProbeEngine(ProbeSetup.limits(settings.probe()), ProbeSetup.tls(settings.probe()),
                workers, ConnectPath.detect(), tlsWorkers);
        metrics.gauge("portwatch.agent.probes.in.flight", engine, ProbeEngine::inFlight);
        metrics.gauge("portwatch.agent.probes.queued", engine, ProbeEngine::queued);
        // Which way plain TCP connects are made (ffm-epoll or nio): constant 1, the path is the label.
        metrics.gauge("portwatch.agent.probe.engine.info",
                Tags.of("connect_path", engine.connectPath().id()), engine, e -> 1.0);
        String whyNio = ConnectPath.whyNio();
        Log.infof("probe engine: plain TCP connects on the %s path%s", engine.connectPath().id(),
                whyNio.isEmpty() ? "" : " (ffm-epoll not used: " + whyNio + ")");
        return engine;
    }

    @Produces
    @Singleton
    @DnsResolverPool
    ExecutorService resolverPool(ExecutorService workers) {
        return ViewExecutor.builder(workers).setMaxSize(RESOLVER_THREADS).build();
    }

    @Produces
    @Singleton
    DnsCache dns() {
        return ProbeSetup.dnsCache(settings.probe(), clock);
    }

    @Produces
    @Singleton
    ProbeRunner runner(ProbeEngine engine, @DnsResolverPool ExecutorService resolverPool, DnsCache dns) {
        return new ProbeRunner(engine, resolverPool, clock, dns);
    }

    /** Probes every scheduled instance through the runner; the results go to the recorder. */
    @Produces
    @Singleton
    CheckScheduler scheduler(ProbeRunner runner, ResultRecorder recorder) {
        CheckScheduler scheduler = new CheckScheduler(runner::run, recorder::record, scheduleStats());
        metrics.gauge("portwatch.agent.scheduled.instances", scheduler, CheckScheduler::scheduled);
        return scheduler;
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

    static Spool.Options spoolOptions(AgentSettings settings, String agentId) {
        AgentSettings.Spool s = settings.spool();
        return new Spool.Options(Optional.of(Path.of(s.dir())), agentId, s.maxBytes().asLongValue(),
                s.segmentBytes().asLongValue(), s.fsync(), s.fsyncInterval(), s.retryInterval(),
                s.memoryMaxBytes().asLongValue());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
