package io.portwatch.collector.ingest;

import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.db.PartitionManager;
import io.portwatch.collector.db.PartitionedTable;
import io.portwatch.collector.uptime.LatencyHistogram;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a batch's results to the hourly and daily rollups in the ingest transaction. Increments
 * are exact because a batch is stored at most once (the (agent, seq) ledger), and late results
 * simply add to the bucket they belong to.
 */
@ApplicationScoped
class RollupWriter {

    private static final String UPSERT = "insert into %1$s as r (check_id, bucket, samples, healthy, open, closed,"
            + " filtered, open_filtered, error, latency_count, latency_sum, latency_hist)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (check_id, bucket) do update set samples = r.samples + excluded.samples,"
            + " healthy = r.healthy + excluded.healthy, open = r.open + excluded.open,"
            + " closed = r.closed + excluded.closed, filtered = r.filtered + excluded.filtered,"
            + " open_filtered = r.open_filtered + excluded.open_filtered, error = r.error + excluded.error,"
            + " latency_count = r.latency_count + excluded.latency_count,"
            + " latency_sum = r.latency_sum + excluded.latency_sum,"
            + " latency_hist = pw_hist_add(r.latency_hist, excluded.latency_hist)";

    private final PartitionManager partitions;

    RollupWriter(PartitionManager partitions) {
        this.partitions = partitions;
    }

    void write(Connection c, List<ResultRow> rows) throws SQLException {
        upsert(c, PartitionedTable.ROLLUP_HOURLY, aggregate(rows, ChronoUnit.HOURS));
        upsert(c, PartitionedTable.ROLLUP_DAILY, aggregate(rows, ChronoUnit.DAYS));
    }

    private record Key(long checkId, Instant bucket) {}

    private static Map<Key, Rollup> aggregate(List<ResultRow> rows, ChronoUnit unit) {
        Map<Key, Rollup> out = new HashMap<>();
        for (ResultRow r : rows) {
            out.computeIfAbsent(new Key(r.checkId(), r.observedAt().truncatedTo(unit)), k -> new Rollup()).add(r);
        }
        return out;
    }

    private void upsert(Connection c, PartitionedTable table, Map<Key, Rollup> rollups) throws SQLException {
        rollups.keySet().stream().map(Key::bucket).distinct().forEach(b -> partitions.ensure(table, b));
        try (PreparedStatement ps = c.prepareStatement(UPSERT.formatted(table.table()))) {
            for (Map.Entry<Key, Rollup> e : rollups.entrySet()) {
                Rollup r = e.getValue();
                ps.setLong(1, e.getKey().checkId());
                ps.setObject(2, Timestamps.utc(e.getKey().bucket()));
                ps.setInt(3, r.samples);
                ps.setInt(4, r.healthy);
                for (int s = 0; s < r.byState.length; s++) {
                    ps.setInt(5 + s, r.byState[s]);
                }
                ps.setInt(10, r.latencyCount);
                ps.setLong(11, r.latencySum);
                ps.setArray(12, c.createArrayOf("integer", box(r.histogram.toArray())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Integer[] box(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    /** One bucket's sums; byState follows PortState's order (open, closed, filtered, open_filtered, error). */
    private static final class Rollup {
        int samples;
        int healthy;
        final int[] byState = new int[5];
        int latencyCount;
        long latencySum;
        final LatencyHistogram histogram = new LatencyHistogram();

        void add(ResultRow r) {
            samples++;
            if (r.healthy()) {
                healthy++;
            }
            byState[r.state().ordinal()]++;
            if (r.answered()) {
                latencyCount++;
                latencySum += r.latencyMicros();
                histogram.record(r.latencyMicros());
            }
        }
    }
}
