package io.portwatch.collector.uptime;

import io.portwatch.core.check.PortState;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sums of samples over a window, fed by raw results and by rollup rows alike. {@code samples},
 * {@code healthy} and {@code byState} count the known results; UNKNOWN ones only {@code unknown}.
 */
final class WindowStats {

    long samples;
    long healthy;
    final Map<PortState, Long> byState = new EnumMap<>(PortState.class);
    long unknown;
    long latencyCount;
    long latencySumMicros;
    final LatencyHistogram histogram = new LatencyHistogram();

    WindowStats() {
        for (PortState s : PortState.values()) {
            if (s != PortState.UNKNOWN) {
                byState.put(s, 0L);
            }
        }
    }

    /**
     * Counts of rollup rows, or of raw results summed in SQL.
     *
     * @param states counts in PortState order: open, closed, filtered, open_filtered, error, unknown
     */
    void addCounts(long samples, long healthy, long[] states, long latencyCount, long latencySum) {
        this.samples += samples;
        this.healthy += healthy;
        PortState[] all = PortState.values();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == PortState.UNKNOWN) {
                unknown += states[i];
            } else {
                byState.merge(all[i], states[i], Long::sum);
            }
        }
        this.latencyCount += latencyCount;
        this.latencySumMicros += latencySum;
    }

    /** A rollup row's histogram (null for none). */
    void addHistogram(int[] hist) {
        histogram.add(hist);
    }

    /** The latency of one raw result whose counts came through {@link #addCounts}. */
    void recordLatency(long micros) {
        histogram.record(micros);
    }

    Double uptimePercent() {
        return samples == 0 ? null : Math.round(healthy * 1_000_000.0 / samples) / 10_000.0;
    }

    LatencySummary latency() {
        if (latencyCount == 0) {
            return new LatencySummary(0, null, null, null, null);
        }
        return new LatencySummary(latencyCount, ms(histogram.quantileMicros(0.50)), ms(histogram.quantileMicros(0.95)),
                ms(histogram.quantileMicros(0.99)), ms((double) latencySumMicros / latencyCount));
    }

    private static Double ms(Double micros) {
        return micros == null ? null : Math.round(micros) / 1000.0;
    }
}
