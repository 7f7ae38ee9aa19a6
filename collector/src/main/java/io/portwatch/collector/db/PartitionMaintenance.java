package io.portwatch.collector.db;

import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.CommandMode;
import io.portwatch.collector.leader.LeaderLock;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Creates partitions ahead and applies retention: at startup, then every hour.
 *
 * <p>With several collector replicas on one database, retention (dropping partitions) runs on the
 * leader only. Creating partitions ahead runs on every replica on purpose: it is idempotent and
 * serialised by {@link PartitionManager}'s advisory lock, costs one statement per partition per
 * process, and it keeps a follower's ingest from creating tomorrow's partition on its hot path
 * (a {@code CREATE TABLE … PARTITION OF} briefly locks the parent table) when the leader is slow
 * or gone. Rollups need no job: ingest writes them in the same transaction as the results.
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);

    private final PartitionManager partitions;
    private final LeaderLock leader;
    private final CollectorSettings.Retention retention;
    private final Clock clock = Clock.systemUTC();

    PartitionMaintenance(PartitionManager partitions, LeaderLock leader, CollectorSettings settings) {
        this.partitions = partitions;
        this.leader = leader;
        this.retention = settings.retention();
    }

    /** After LeaderLock's own startup observer (default priority), so a first leader applies retention at once. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (CommandMode.active()) {
            return; // the running collector maintains partitions, not a command beside it
        }
        run();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        Instant now = clock.instant();
        createAhead(now);
        if (leader.isLeader()) {
            applyRetention(now);
        } else {
            LOG.debug("retention skipped: another collector replica is the leader");
        }
    }

    /** Partitions for today and the next partitions-ahead-days days, on every replica. */
    void createAhead(Instant now) {
        for (int d = 0; d <= retention.partitionsAheadDays(); d++) {
            partitions.ensure(PartitionedTable.RESULT, now.plus(Duration.ofDays(d)));
        }
        Instant last = now.plus(Duration.ofDays(retention.partitionsAheadDays()));
        partitions.ensure(PartitionedTable.ROLLUP_HOURLY, now);
        partitions.ensure(PartitionedTable.ROLLUP_HOURLY, last);
        partitions.ensure(PartitionedTable.ROLLUP_DAILY, now);
        partitions.ensure(PartitionedTable.ROLLUP_DAILY, last);
    }

    /** Drops raw partitions older than raw-days and rollup partitions older than rollup-days. */
    public void applyRetention(Instant now) {
        partitions.dropBefore(PartitionedTable.RESULT, now.minus(Duration.ofDays(retention.rawDays())));
        Instant rollupHorizon = now.minus(Duration.ofDays(retention.rollupDays()));
        partitions.dropBefore(PartitionedTable.ROLLUP_HOURLY, rollupHorizon);
        partitions.dropBefore(PartitionedTable.ROLLUP_DAILY, rollupHorizon);
    }
}
