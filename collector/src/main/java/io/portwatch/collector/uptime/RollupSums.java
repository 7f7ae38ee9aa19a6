package io.portwatch.collector.uptime;

import io.portwatch.collector.history.ResultRow;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;

/**
 * One rollup bucket's sums, as {@link RollupRepository} adds them to its row; byState follows
 * PortState's order (open, closed, filtered, open_filtered, error, unknown). {@code samples} and
 * {@code healthy} count the known results only: an UNKNOWN result counts neither for nor against
 * uptime, and is counted in byState's last slot (the rollups' {@code unknown} column).
 */
public final class RollupSums {
    int samples;
    int healthy;
    final int[] byState = new int[PortState.values().length];
    int latencyCount;
    long latencySum;
    final LatencyHistogram histogram = new LatencyHistogram();

    public void add(ResultRow r) {
        if (r.known()) {
            samples++;
        }
        if (r.health() == Health.HEALTHY) {
            healthy++;
        }
        byState[r.state().ordinal()]++;
        if (r.answered()) {
            latencyCount++;
            latencySum += r.latencyMicros();
            histogram.record(r.latencyMicros());
        }
    }

    public void add(RollupSums other) {
        samples += other.samples;
        healthy += other.healthy;
        for (int i = 0; i < byState.length; i++) {
            byState[i] += other.byState[i];
        }
        latencyCount += other.latencyCount;
        latencySum += other.latencySum;
        histogram.add(other.histogram);
    }
}
