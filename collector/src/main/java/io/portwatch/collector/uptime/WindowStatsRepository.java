package io.portwatch.collector.uptime;

import io.portwatch.collector.db.Timestamps;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.check.PortState;
import io.portwatch.collector.db.PartitionedTable;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Adds raw results and rollup rows of one check in a time range to a {@link WindowStats}. */
@ApplicationScoped
class WindowStatsRepository {

    private static final String RAW = "select state, healthy, latency_micros from result"
            + " where check_id = ? and observed_at >= ? and observed_at < ?";
    private static final String ROLLUP = "select samples, healthy, open, closed, filtered, open_filtered, error,"
            + " latency_count, latency_sum, latency_hist from %s where check_id = ? and bucket >= ? and bucket < ?";

    private final AgroalDataSource dataSource;

    WindowStatsRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void addRaw(Connection c, WindowStats stats, long checkId, Instant from, Instant to) throws SQLException {
        if (!from.isBefore(to)) {
            return;
        }
        try (PreparedStatement ps = range(c, RAW, checkId, from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                stats.addRaw(PortState.valueOf(rs.getString(1)), rs.getBoolean(2), rs.getLong(3));
            }
        }
    }

    void addRollups(Connection c, WindowStats stats, PartitionedTable table, long checkId, Instant from, Instant to)
            throws SQLException {
        if (!from.isBefore(to)) {
            return;
        }
        try (PreparedStatement ps = range(c, ROLLUP.formatted(table.table()), checkId, from, to);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long[] states = {rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)};
                Array hist = rs.getArray(10);
                stats.addRollup(rs.getLong(1), rs.getLong(2), states, rs.getLong(8), rs.getLong(9), ints(hist));
            }
        }
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    private static PreparedStatement range(Connection c, String sql, long checkId, Instant from, Instant to)
            throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setLong(1, checkId);
        ps.setObject(2, Timestamps.utc(from));
        ps.setObject(3, Timestamps.utc(to));
        return ps;
    }

    private static int[] ints(Array array) throws SQLException {
        if (array == null) {
            return new int[0];
        }
        Integer[] boxed = (Integer[]) array.getArray();
        int[] out = new int[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = boxed[i] == null ? 0 : boxed[i];
        }
        return out;
    }
}
