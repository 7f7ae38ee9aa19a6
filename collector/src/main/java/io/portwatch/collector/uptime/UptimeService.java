package io.portwatch.collector.uptime;

import io.portwatch.collector.CollectorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The last {@code days} UTC days up to and including {@code today} for each of {@code checkIds},
     * oldest first, a day without data included as such: one query for all the checks.
     */
    public Map<Long, List<DayUptime>> days(Collection<Long> checkIds, LocalDate today, int days) {
        LocalDate first = today.minusDays(days - 1L);
        Map<Long, List<DayUptime>> stored = repository.daily(checkIds, first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<Long, List<DayUptime>> out = new HashMap<>();
        for (Long id : checkIds) {
            DayUptime[] bar = new DayUptime[days];
            for (DayUptime d : stored.getOrDefault(id, List.of())) {
                bar[(int) ChronoUnit.DAYS.between(first, d.day())] = d;
            }
            for (int i = 0; i < days; i++) {
                if (bar[i] == null) {
                    bar[i] = DayUptime.empty(first.plusDays(i));
                }
            }
            out.put(id, List.of(bar));
        }
        return out;
    }
}
