package io.portwatch.collector.uptime;

import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.db.PartitionedTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Uptime over any window from three sources: daily rollups for the whole days inside it, hourly
 * rollups for the whole hours around those, and raw results for the partial hours at the edges —
 * so a 30-day window reads about 80 rows instead of 43,200 results. Where an edge is older than
 * raw retention, its hour is taken whole from the hourly rollup.
 */
@ApplicationScoped
public class UptimeService {

    static final int MAX_INCIDENTS = 100;

    private final WindowStatsRepository stats;
    private final IncidentRepository incidents;
    private final CollectorSettings.Retention retention;

    UptimeService(WindowStatsRepository stats, IncidentRepository incidents, CollectorSettings settings) {
        this.stats = stats;
        this.incidents = incidents;
        this.retention = settings.retention();
    }

    public UptimeReport uptime(long checkId, String window, Instant from, Instant to, Instant now) {
        WindowStats sums = new WindowStats();
        Instant rawHorizon = now.minus(Duration.ofDays(retention.rawDays()));
        Instant hoursFrom = from.isBefore(rawHorizon) ? floor(from, ChronoUnit.HOURS) : ceil(from, ChronoUnit.HOURS);
        Instant hoursTo = floor(to, ChronoUnit.HOURS);
        try (Connection c = stats.connection()) {
            if (!hoursFrom.isBefore(hoursTo)) {
                stats.addRaw(c, sums, checkId, from, to);
            } else {
                stats.addRaw(c, sums, checkId, from, hoursFrom);
                stats.addRaw(c, sums, checkId, hoursTo, to);
                Instant daysFrom = ceil(hoursFrom, ChronoUnit.DAYS);
                Instant daysTo = floor(hoursTo, ChronoUnit.DAYS);
                if (daysFrom.isBefore(daysTo)) {
                    stats.addRollups(c, sums, PartitionedTable.ROLLUP_HOURLY, checkId, hoursFrom, daysFrom);
                    stats.addRollups(c, sums, PartitionedTable.ROLLUP_DAILY, checkId, daysFrom, daysTo);
                    stats.addRollups(c, sums, PartitionedTable.ROLLUP_HOURLY, checkId, daysTo, hoursTo);
                } else {
                    stats.addRollups(c, sums, PartitionedTable.ROLLUP_HOURLY, checkId, hoursFrom, hoursTo);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("computing the uptime of check " + checkId + " failed", e);
        }
        return new UptimeReport(checkId, window, from, to, sums.samples, sums.healthy, sums.uptimePercent(),
                sums.byState, sums.latency(), incidents.overlapping(checkId, from, to, MAX_INCIDENTS, now));
    }

    static Instant floor(Instant t, ChronoUnit unit) {
        return t.truncatedTo(unit);
    }

    static Instant ceil(Instant t, ChronoUnit unit) {
        Instant f = t.truncatedTo(unit);
        return f.equals(t) ? t : f.plus(1, unit);
    }
}
