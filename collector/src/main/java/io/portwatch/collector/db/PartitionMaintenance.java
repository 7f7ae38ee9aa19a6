package io.portwatch.collector.db;

import io.portwatch.collector.CollectorSettings;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Creates partitions ahead and applies retention: at startup, then every hour. */
@ApplicationScoped
public class PartitionMaintenance {

    private final PartitionManager partitions;
    private final CollectorSettings.Retention retention;
    private final Clock clock = Clock.systemUTC();

    PartitionMaintenance(PartitionManager partitions, CollectorSettings settings) {
        this.partitions = partitions;
        this.retention = settings.retention();
    }

    void onStart(@Observes StartupEvent event) {
        run();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        Instant now = clock.instant();
        for (int d = 0; d <= retention.partitionsAheadDays(); d++) {
            partitions.ensure(PartitionedTable.RESULT, now.plus(Duration.ofDays(d)));
        }
        partitions.ensure(PartitionedTable.ROLLUP_HOURLY, now);
        partitions.ensure(PartitionedTable.ROLLUP_HOURLY, now.plus(Duration.ofDays(retention.partitionsAheadDays())));
        partitions.ensure(PartitionedTable.ROLLUP_DAILY, now);
        partitions.ensure(PartitionedTable.ROLLUP_DAILY, now.plus(Duration.ofDays(retention.partitionsAheadDays())));
        applyRetention(now);
    }

    /** Drops raw partitions older than raw-days and rollup partitions older than rollup-days. */
    public void applyRetention(Instant now) {
        partitions.dropBefore(PartitionedTable.RESULT, now.minus(Duration.ofDays(retention.rawDays())));
        Instant rollupHorizon = now.minus(Duration.ofDays(retention.rollupDays()));
        partitions.dropBefore(PartitionedTable.ROLLUP_HOURLY, rollupHorizon);
        partitions.dropBefore(PartitionedTable.ROLLUP_DAILY, rollupHorizon);
    }
}
