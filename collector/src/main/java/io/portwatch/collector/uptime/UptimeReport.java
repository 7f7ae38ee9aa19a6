package io.portwatch.collector.uptime;

import io.portwatch.core.check.PortState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Uptime of one check over [from, to): the share of samples that were healthy, in percent (null
 * when there were no samples: no data is neither 0 % nor 100 %), samples by state, latency, and
 * the incidents that overlap the window. Samples are the known results: UNKNOWN results
 * (icmp-rate-limited) count neither for nor against uptime, and are counted in
 * {@code unknownSamples} alone.
 */
public record UptimeReport(
        long checkId,
        String window,
        Instant from,
        Instant to,
        long samples,
        long healthySamples,
        Double uptimePercent,
        Map<PortState, Long> samplesByState,
        long unknownSamples,
        LatencySummary latency,
        List<IncidentView> incidents) {}
