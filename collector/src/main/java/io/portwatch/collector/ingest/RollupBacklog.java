package io.portwatch.collector.ingest;

import io.portwatch.collector.db.SqlArray;
import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.history.ResultRepository;
import io.portwatch.collector.history.ResultRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code rollup_backlog} table: which blocks of committed results the rollups do not hold yet.
 * Ingest numbers its rows from blocks of {@value #BLOCK} ids it reserves, and writes one backlog
 * row per block in the same transaction; a fold deletes the rows of the blocks it adds, in its own
 * transaction. Whoever deletes a block's row folds it: never twice, never lost.
 */
@ApplicationScoped
class RollupBacklog {

    /** Ids per block: {@code result_block_seq} increments by this much. */
    static final int BLOCK = 1 << 20;

    /** A block in the backlog: ids [firstId, firstId + rowCount), observed in [minObserved, maxObserved]. */
    record Block(long firstId, int rowCount, String agentId, Instant minObserved, Instant maxObserved) {}

    private static final String RESERVE = "select nextval('result_block_seq') from generate_series(1, ?)";
    private static final String INSERT = "insert into rollup_backlog (first_id, row_count, agent_id, min_observed,"
            + " max_observed) select u.first_id, u.row_count, ?, u.min_observed, u.max_observed"
            + " from unnest(?::bigint[], ?::int[], ?::timestamptz[], ?::timestamptz[])"
            + " as u(first_id, row_count, min_observed, max_observed)";
    private static final String DELETE = "delete from rollup_backlog where first_id = any (?)";
    // Oldest first; a block another transaction holds (a live fold) is skipped, not waited for.
    private static final String ORPHANS = "select first_id, row_count, agent_id, min_observed, max_observed"
            + " from rollup_backlog where stored_at < now() - make_interval(secs => ?)"
            + " and not (first_id = any (?)) order by first_id limit ? for update skip locked";

    private final ResultRepository results;

    RollupBacklog(ResultRepository results) {
        this.results = results;
    }

    /** First ids of enough blocks for {@code rows} results. */
    long[] reserve(Connection c, int rows) throws SQLException {
        int blocks = (rows + BLOCK - 1) / BLOCK;
        long[] first = new long[blocks];
        try (PreparedStatement ps = c.prepareStatement(RESERVE)) {
            ps.setInt(1, blocks);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    first[i] = rs.getLong(1);
                }
            }
        }
        return first;
    }

    void insert(Connection c, String agentId, List<Block> blocks) throws SQLException {
        SqlArray first = new SqlArray(blocks.size());
        SqlArray count = new SqlArray(blocks.size());
        SqlArray min = new SqlArray(blocks.size());
        SqlArray max = new SqlArray(blocks.size());
        for (Block b : blocks) {
            first.add(b.firstId());
            count.add(b.rowCount());
            min.add(b.minObserved());
            max.add(b.maxObserved());
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, agentId);
            SqlArray.bind(ps, 2, first, count, min, max);
            ps.executeUpdate();
        }
    }

    /** @return how many of the blocks were still in the backlog (and are not any more) */
    int delete(Connection c, Collection<Long> firstIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setArray(1, SqlArray.bigints(c, firstIds));
            return ps.executeUpdate();
        }
    }

    /** Locks up to {@code limit} blocks stored longer ago than {@code age}, except those in {@code held}. */
    List<Block> claimOrphans(Connection c, Duration age, Collection<Long> held, int limit) throws SQLException {
        List<Block> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ORPHANS)) {
            ps.setDouble(1, age.toMillis() / 1000.0);
            ps.setArray(2, SqlArray.bigints(c, held));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Block(rs.getLong(1), rs.getInt(2), rs.getString(3), Timestamps.instant(rs, 4),
                            Timestamps.instant(rs, 5)));
                }
            }
        }
        return out;
    }

    /** Reads a block's results back from {@code result}, through its owner. */
    void rows(Connection c, Block b, Consumer<ResultRow> sink) throws SQLException {
        results.blockRows(c, b.firstId(), b.rowCount(), b.minObserved(), b.maxObserved(), sink);
    }
}
