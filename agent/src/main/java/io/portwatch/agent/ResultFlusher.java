package io.portwatch.agent;

import io.portwatch.agent.spool.Spool;
import io.portwatch.agent.transport.BatchAssembler;
import io.portwatch.agent.transport.CollectorLink;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Every {@code portwatch.collector.flush-interval}: cuts the results collected since the last
 * batch into one, sends a heartbeat when the stream was idle, and lets the spool do its periodic
 * work (fsync by interval, saving the ack, retrying a refused disk).
 */
@ApplicationScoped
class ResultFlusher {

    private final BatchAssembler batches;
    private final CollectorLink link;
    private final Spool spool;
    private final Duration interval;

    ResultFlusher(BatchAssembler batches, CollectorLink link, Spool spool, AgentSettings settings) {
        this.batches = batches;
        this.link = link;
        this.spool = spool;
        this.interval = settings.collector().flushInterval();
    }

    /** Every flush-interval as the settings read it (the scheduler does not parse the property itself). */
    void schedule(@Observes StartupEvent event, Scheduler jobs) {
        jobs.newJob("portwatch-result-flush").setInterval(interval.toString()).setTask(execution -> flush()).schedule();
    }

    void flush() {
        batches.flush();
        link.heartbeatIfIdle();
        spool.tick();
    }
}
