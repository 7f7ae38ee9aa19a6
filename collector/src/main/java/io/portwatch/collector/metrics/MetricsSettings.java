package io.portwatch.collector.metrics;

import io.smallrye.config.ConfigMapping;
import io.portwatch.core.IntervalOrOffConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The per-check Prometheus metrics: prefix {@code portwatch.metrics}, env vars
 * {@code PORTWATCH_METRICS_*}. They bound how many series {@code /q/metrics} carries: each check
 * exported is 8 series (up, latency, one state series per state), each firing alert one.
 */
@ConfigMapping(prefix = "portwatch.metrics")
public interface MetricsSettings {

    /**
     * Checks exported at most, the first by id (the oldest); the others are counted in
     * {@code portwatch_metrics_dropped{what="checks"}}. 0 turns the per-check series off, and with
     * them their query.
     */
    @WithDefault("10000")
    int maxChecks();

    /**
     * Firing alerts exported at most, the newest; the others are counted in
     * {@code portwatch_metrics_dropped{what="alerts"}}. 0 turns {@code portwatch_alerts_firing} off.
     */
    @WithDefault("10000")
    int maxAlerts();

    /**
     * How often each replica reads the checks' states and the firing alerts for the export (one
     * query each); a scrape only writes out the last reading. {@code off} (empty here) stops the
     * reading.
     */
    @WithDefault("15s")
    @WithConverter(IntervalOrOffConverter.class)
    Optional<Duration> refreshInterval();
}
