package io.portwatch.collector.uptime;

/**
 * Latency of the samples where the target answered (OPEN or CLOSED; timeouts and silence have no
 * round trip). Percentiles come from the histogram, within ±12 %; the mean is exact.
 */
public record LatencySummary(long samples, Double p50Ms, Double p95Ms, Double p99Ms, Double meanMs) {}
