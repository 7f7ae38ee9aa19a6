package io.portwatch.collector.ingest;

import io.portwatch.collector.db.PartitionManager;
import io.portwatch.collector.db.PartitionedTable;
import io.portwatch.collector.uptime.LatencyHistogram;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds a batch's results to the hourly and daily rollups in the ingest transaction. Increments
 * are exact because a batch is stored at most once (the (agent, seq) ledger), and late results
 * simply add to the bucket they belong to.
 *
 * <p>The batch is summed per (check, bucket) here, then each table gets one set-based upsert: the
 * sums travel as one array per column, unnested server-side; each histogram as an array literal
 * in a text array. (One flat integer array sliced per row looked cheaper, but under a generic
 * plan PostgreSQL casts that whole parameter again for every row.)
 */
@ApplicationScoped
class RollupWriter {

    private static final String UPSERT = "insert into %1$s as r (check_id, bucket, samples, healthy, open, closed,"
            + " filtered, open_filtered, error, latency_count, latency_sum, latency_hist)"
            + " select u.check_id, u.bucket, u.samples, u.healthy, u.open, u.closed, u.filtered, u.open_filtered,"
            + " u.error, u.latency_count, u.latency_sum, u.latency_hist::integer[]"
            + " from unnest(?::bigint[], ?::timestamptz[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[],"
            + " ?::int[], ?::int[], ?::bigint[], ?::text[]) as u(check_id, bucket, samples, healthy, open,"
            + " closed, filtered, open_filtered, error, latency_count, latency_sum, latency_hist)"
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

    /** Sorted by check then bucket: concurrent upserts then take row locks in one order. */
    private record Key(long checkId, Instant bucket) {
        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::checkId).thenComparing(Key::bucket);
    }

    private static Map<Key, Rollup> aggregate(List<ResultRow> rows, ChronoUnit unit) {
        Map<Key, Rollup> out = new TreeMap<>(Key.ORDER);
        for (ResultRow r : rows) {
            out.computeIfAbsent(new Key(r.checkId(), r.observedAt().truncatedTo(unit)), k -> new Rollup()).add(r);
        }
        return out;
    }

    private void upsert(Connection c, PartitionedTable table, Map<Key, Rollup> rollups) throws SQLException {
        rollups.keySet().stream().map(Key::bucket).distinct().forEach(b -> partitions.ensure(table, b));
        int n = rollups.size();
        SqlArray checkIds = new SqlArray(n);
        SqlArray buckets = new SqlArray(n);
        SqlArray samples = new SqlArray(n);
        SqlArray healthy = new SqlArray(n);
        SqlArray[] byState = new SqlArray[5];
        for (int s = 0; s < byState.length; s++) {
            byState[s] = new SqlArray(n);
        }
        SqlArray latencyCount = new SqlArray(n);
        SqlArray latencySum = new SqlArray(n);
        SqlArray histograms = new SqlArray(n);
        for (Map.Entry<Key, Rollup> e : rollups.entrySet()) {
            Rollup r = e.getValue();
            checkIds.add(e.getKey().checkId());
            buckets.add(e.getKey().bucket());
            samples.add(r.samples);
            healthy.add(r.healthy);
            for (int s = 0; s < byState.length; s++) {
                byState[s].add(r.byState[s]);
            }
            latencyCount.add(r.latencyCount);
            latencySum.add(r.latencySum);
            SqlArray hist = new SqlArray(LatencyHistogram.BUCKETS);
            for (int count : r.histogram.toArray()) {
                hist.add(count);
            }
            histograms.add(hist.toString());
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT.formatted(table.table()))) {
            int i = 0;
            for (SqlArray column : List.of(checkIds, buckets, samples, healthy, byState[0], byState[1], byState[2],
                    byState[3], byState[4], latencyCount, latencySum, histograms)) {
                ps.setString(++i, column.toString());
            }
            ps.executeUpdate();
        }
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
