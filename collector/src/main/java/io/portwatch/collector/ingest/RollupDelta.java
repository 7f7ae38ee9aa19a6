package io.portwatch.collector.ingest;

import io.portwatch.collector.history.ResultRow;
import io.portwatch.collector.uptime.LatencyHistogram;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fold adds: committed results summed per (check, hour) and (check, day), each check's
 * newest result, and the backlog blocks they came from. Built by the folder as transactions
 * commit, or from a block's rows read back. Not thread-safe: the folder guards it.
 */
final class RollupDelta {

    /** Sorted by check then bucket: concurrent upserts then take row locks in one order. */
    record Key(long checkId, Instant bucket) {
        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::checkId).thenComparing(Key::bucket);

        // Written out: a lookup per result, where the record's generated methods (method handles)
        // were a visible share of the folder's time.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && checkId == k.checkId && bucket.equals(k.bucket);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(checkId) * 31 + bucket.hashCode();
        }
    }

    final Map<Key, Sums> hourly = new HashMap<>();
    final Map<Long, ResultRow> newest = new HashMap<>();
    final List<Long> blocks = new ArrayList<>();
    private int rows;

    void add(ResultRow r) {
        rows++;
        long second = r.observedAt().getEpochSecond();
        hourly.computeIfAbsent(new Key(r.checkId(), Instant.ofEpochSecond(Math.floorDiv(second, 3600) * 3600)),
                k -> new Sums()).add(r);
        newest.merge(r.checkId(), r, RollupDelta::newer);
    }

    /** The hourly sums added up per (check, UTC day): per key, at fold time, rather than per result. */
    Map<Key, Sums> daily() {
        Map<Key, Sums> daily = new HashMap<>();
        hourly.forEach((k, sums) -> daily.computeIfAbsent(
                new Key(k.checkId(), Instant.ofEpochSecond(Math.floorDiv(k.bucket().getEpochSecond(), 86400) * 86400)),
                d -> new Sums()).add(sums));
        return daily;
    }

    int rows() {
        return rows;
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The later of two results of one check (equal times: the later row). */
    static ResultRow newer(ResultRow a, ResultRow b) {
        int byTime = a.observedAt().compareTo(b.observedAt());
        return byTime > 0 || (byTime == 0 && a.id() > b.id()) ? a : b;
    }

    /**
     * One bucket's sums; byState follows PortState's order (open, closed, filtered, open_filtered,
     * error, unknown). {@code samples} and {@code healthy} count the known results only: an
     * UNKNOWN result counts neither for nor against uptime, and is counted in byState's last slot
     * (the rollups' {@code unknown} column).
     */
    static final class Sums {
        int samples;
        int healthy;
        final int[] byState = new int[PortState.values().length];
        int latencyCount;
        long latencySum;
        final LatencyHistogram histogram = new LatencyHistogram();

        void add(ResultRow r) {
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

        void add(Sums other) {
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
}
