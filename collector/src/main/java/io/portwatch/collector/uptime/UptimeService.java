package io.portwatch.collector.uptime;

import io.portwatch.collector.check.CheckEntity;
import io.portwatch.collector.check.PortState;
import io.portwatch.collector.history.ResultRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Uptime computed from raw results (rollups come later). */
@ApplicationScoped
public class UptimeService {

    private final ResultRepository results;

    UptimeService(ResultRepository results) {
        this.results = results;
    }

    public UptimeReport uptime(CheckEntity check, String window, Instant from, Instant to) {
        Map<PortState, Long> byState = new EnumMap<>(PortState.class);
        for (PortState s : PortState.values()) {
            byState.put(s, 0L);
        }
        byState.putAll(results.countByState(check.id, from, to));
        long samples = byState.values().stream().mapToLong(Long::longValue).sum();
        long healthy = byState.entrySet().stream()
                .filter(e -> check.expect.isHealthy(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        Double percent = samples == 0 ? null : Math.round(healthy * 1_000_000.0 / samples) / 10_000.0;
        return new UptimeReport(check.id, window, from, to, samples, healthy, percent, byState);
    }
}
