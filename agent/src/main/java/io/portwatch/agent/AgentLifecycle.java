package io.portwatch.agent;

import io.portwatch.agent.probe.ProbeEngine;
import io.portwatch.agent.schedule.CheckScheduler;
import io.portwatch.agent.spool.Spool;
import io.portwatch.agent.transport.BatchAssembler;
import io.portwatch.agent.transport.CollectorLink;
import io.portwatch.proto.v1.Hello;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;

/**
 * Starts and stops the running agent. The parts are built by {@link AgentProducers} as they are
 * injected here, so a bad setting (labels, trust store) stops the start. At start the check directory
 * is read once and the stream to the collector opened; at stop the parts stop in the order that
 * loses nothing: no new configuration, no new probes, the last results cut into a batch, the stream
 * closed, the spool (holding that batch) closed, then the engine and the resolver threads.
 */
@ApplicationScoped
class AgentLifecycle {

    private final AgentSettings settings;
    private final Hello hello;
    private final ConfigReloader reloader;
    private final CheckScheduler scheduler;
    private final BatchAssembler batches;
    private final CollectorLink link;
    private final Spool spool;
    private final ProbeEngine engine;
    private final ExecutorService resolverPool;

    AgentLifecycle(AgentSettings settings, Hello hello, ConfigReloader reloader, CheckScheduler scheduler,
            BatchAssembler batches, CollectorLink link, Spool spool, ProbeEngine engine,
            @DnsResolverPool ExecutorService resolverPool) {
        this.settings = settings;
        this.hello = hello;
        this.reloader = reloader;
        this.scheduler = scheduler;
        this.batches = batches;
        this.link = link;
        this.spool = spool;
        this.engine = engine;
        this.resolverPool = resolverPool;
    }

    void onStart(@Observes StartupEvent event) {
        Log.infof("agent %s starting: checks from %s, collector %s:%d", hello.getAgentId(),
                reloader.checksDir().toAbsolutePath(), settings.collector().host(), settings.collector().port());
        reloader.reload();
        link.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        reloader.stopWatching();
        scheduler.close();
        batches.flush();
        link.close();
        spool.close();
        engine.close();
        resolverPool.shutdownNow();
    }
}
