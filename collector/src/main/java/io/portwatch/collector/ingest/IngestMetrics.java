package io.portwatch.collector.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.function.Supplier;

/**
 * The ingest rate on /q/metrics: batches and results counted once they are committed (a re-sent
 * batch is not counted again), and how long storing a group of batches takes, commit included.
 */
@ApplicationScoped
public class IngestMetrics {

    private final Counter batches;
    private final Counter results;
    private final Timer store;

    IngestMetrics(MeterRegistry registry) {
        batches = Counter.builder("portwatch.ingest.batches")
                .description("result batches stored (a re-sent batch counts once)").register(registry);
        results = Counter.builder("portwatch.ingest.results")
                .description("probe results stored").register(registry);
        store = Timer.builder("portwatch.ingest.store")
                .description("time to store a group of batches of one stream, commit included")
                .publishPercentileHistogram().register(registry);
    }

    void onStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) IngestEvent event) {
        if (event instanceof IngestEvent.BatchStored stored) {
            batches.increment();
            results.increment(stored.batch().getResultsCount());
        }
    }

    <T> T timeStore(Supplier<T> work) {
        return store.record(work);
    }
}
