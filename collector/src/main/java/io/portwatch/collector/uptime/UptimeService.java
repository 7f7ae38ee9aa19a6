package io.portwatch.collector.uptime;

import io.portwatch.collector.CollectorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Uptime over any window from daily and hourly rollups and raw edges ({@link WindowPlan}), so a
 * 30-day window reads about 80 rows instead of 43,200 results.
 */
@ApplicationScoped
public class UptimeService {

    static final int MAX_INCIDENTS = 100;

    private final UptimeRepository repository;
    private final CollectorSettings.Retention retention;

    UptimeService(UptimeRepository repository, CollectorSettings settings) {
        this.repository = repository;
        this.retention = settings.retention();
    }

    /** Empty when there is no check {@code checkId}. */
    public Optional<UptimeReport> uptime(long checkId, String window, Instant from, Instant to, Instant now) {
        WindowPlan plan = WindowPlan.of(from, to, now.minus(Duration.ofDays(retention.rawDays())));
        return repository.read(checkId, plan, from, to, MAX_INCIDENTS, now).map(w -> {
            WindowStats sums = w.stats();
            return new UptimeReport(checkId, window, from, to, sums.samples, sums.healthy, sums.uptimePercent(),
                    sums.byState, sums.unknown, sums.latency(), w.incidents());
        });
    }
}
