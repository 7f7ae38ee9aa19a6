package io.portwatch.collector.uptime;

import io.portwatch.collector.check.PortState;
import java.util.EnumMap;
import java.util.Map;

/** Sums of samples over a window, fed by raw results and by rollup rows alike. */
final class WindowStats {

    long samples;
    long healthy;
    final Map<PortState, Long> byState = new EnumMap<>(PortState.class);
    long latencyCount;
    long latencySumMicros;
    final LatencyHistogram histogram = new LatencyHistogram();

    WindowStats() {
        for (PortState s : PortState.values()) {
            byState.put(s, 0L);
        }
    }

    void addRaw(PortState state, boolean healthySample, long latencyMicros) {
        samples++;
        if (healthySample) {
            healthy++;
        }
        byState.merge(state, 1L, Long::sum);
        if (state == PortState.OPEN || state == PortState.CLOSED) {
            latencyCount++;
            latencySumMicros += latencyMicros;
            histogram.record(latencyMicros);
        }
    }

    /** @param states counts in PortState order: open, closed, filtered, open_filtered, error */
    void addRollup(long samples, long healthy, long[] states, long latencyCount, long latencySum, int[] hist) {
        this.samples += samples;
        this.healthy += healthy;
        PortState[] all = PortState.values();
        for (int i = 0; i < all.length; i++) {
            byState.merge(all[i], states[i], Long::sum);
        }
        this.latencyCount += latencyCount;
        this.latencySumMicros += latencySum;
        histogram.add(hist);
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
