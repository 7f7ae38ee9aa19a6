package io.portwatch.collector.uptime;

import io.portwatch.collector.db.SqlArray;
import io.portwatch.collector.db.PartitionManager;
import io.portwatch.collector.db.PartitionedTable;
import io.portwatch.core.check.PortState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one owner of tables {@code rollup_hourly} and {@code rollup_daily}, on JDBC (the measured
 * hot paths {@code bench/ingest} and {@code bench/query}): the fold's upsert, the window read
 * that {@link UptimeRepository} sends in its single round trip, and the status page's daily rows.
 *
 * <p>The upsert adds a fold's sums to the hourly and daily rollups, in the folder's transaction.
 * Increments are exact because each backlog block is folded once (the transaction that deletes its
 * backlog row), and late results simply add to the bucket they belong to.
 *
 * <p>Each table gets one set-based upsert: the sums travel as one array per column, unnested
 * server-side; each histogram as an array literal in a text array. (One flat integer array sliced
 * per row looked cheaper, but under a generic plan PostgreSQL casts that whole parameter again for
 * every row.)
 */
@ApplicationScoped
public class RollupRepository {

    /** A window's rollup rows of one table ({@code %s}), in the column order of UptimeRepository's window statement. */
    static final String WINDOW = "select samples, healthy, open, closed, filtered, open_filtered, error, unknown,"
            + " latency_count, latency_sum, latency_hist, null::bigint[] from %s where check_id = ? and bucket >= ? and bucket < ?";

    /**
     * The daily rows of many checks ({@code check_id = any}) over a range of days: the status page's
     * bars, one statement of UptimeRepository's {@code DAILY} (parameters: ids, from, to).
     */
    static final String DAYS = "select check_id, bucket, samples, healthy, unknown from rollup_daily"
            + " where check_id = any (?) and bucket >= ? and bucket < ?";

    private static final String UPSERT = "insert into %1$s as r (check_id, bucket, samples, healthy, open, closed,"
            + " filtered, open_filtered, error, unknown, latency_count, latency_sum, latency_hist)"
            + " select u.check_id, u.bucket, u.samples, u.healthy, u.open, u.closed, u.filtered, u.open_filtered,"
            + " u.error, u.unknown, u.latency_count, u.latency_sum, u.latency_hist::integer[]"
            + " from unnest(?::bigint[], ?::timestamptz[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::int[],"
            + " ?::int[], ?::int[], ?::int[], ?::bigint[], ?::text[]) as u(check_id, bucket, samples, healthy, open,"
            + " closed, filtered, open_filtered, error, unknown, latency_count, latency_sum, latency_hist)"
            + " on conflict (check_id, bucket) do update set samples = r.samples + excluded.samples,"
            + " healthy = r.healthy + excluded.healthy, open = r.open + excluded.open,"
            + " closed = r.closed + excluded.closed, filtered = r.filtered + excluded.filtered,"
            + " open_filtered = r.open_filtered + excluded.open_filtered, error = r.error + excluded.error,"
            + " unknown = r.unknown + excluded.unknown,"
            + " latency_count = r.latency_count + excluded.latency_count,"
            + " latency_sum = r.latency_sum + excluded.latency_sum,"
            + " latency_hist = pw_hist_add(r.latency_hist, excluded.latency_hist)";

    private final PartitionManager partitions;

    RollupRepository(PartitionManager partitions) {
        this.partitions = partitions;
    }

    /** Adds the sums to their hourly and daily rows, on the caller's connection (the fold's transaction). */
    public void add(Connection c, Map<RollupKey, RollupSums> hourly, Map<RollupKey, RollupSums> daily) throws SQLException {
        upsert(c, PartitionedTable.ROLLUP_HOURLY, sorted(hourly));
        upsert(c, PartitionedTable.ROLLUP_DAILY, sorted(daily));
    }

    private static Map<RollupKey, RollupSums> sorted(Map<RollupKey, RollupSums> sums) {
        Map<RollupKey, RollupSums> out = new TreeMap<>(RollupKey.ORDER);
        out.putAll(sums);
        return out;
    }

    private void upsert(Connection c, PartitionedTable table, Map<RollupKey, RollupSums> rollups) throws SQLException {
        int n = rollups.size();
        if (n == 0) {
            return;
        }
        rollups.keySet().stream().map(RollupKey::bucket).distinct().forEach(b -> partitions.ensure(table, b));
        SqlArray checkIds = new SqlArray(n);
        SqlArray buckets = new SqlArray(n);
        SqlArray samples = new SqlArray(n);
        SqlArray healthy = new SqlArray(n);
        SqlArray[] byState = new SqlArray[PortState.values().length];
        for (int s = 0; s < byState.length; s++) {
            byState[s] = new SqlArray(n);
        }
        SqlArray latencyCount = new SqlArray(n);
        SqlArray latencySum = new SqlArray(n);
        SqlArray histograms = new SqlArray(n);
        for (Map.Entry<RollupKey, RollupSums> e : rollups.entrySet()) {
            RollupSums r = e.getValue();
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
            SqlArray.bind(ps, 1, checkIds, buckets, samples, healthy, byState[0], byState[1], byState[2],
                    byState[3], byState[4], byState[5], latencyCount, latencySum, histograms);
            ps.executeUpdate();
        }
    }
}
