package io.portwatch.agent;

import io.portwatch.agent.spool.Spool;
import io.portwatch.agent.transport.BatchAssembler;
import io.portwatch.agent.transport.CollectorLink;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

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

    ResultFlusher(BatchAssembler batches, CollectorLink link, Spool spool) {
        this.batches = batches;
        this.link = link;
        this.spool = spool;
    }

    @Scheduled(every = "${portwatch.collector.flush-interval}")
    void flush() {
        batches.flush();
        link.heartbeatIfIdle();
        spool.tick();
    }
}
