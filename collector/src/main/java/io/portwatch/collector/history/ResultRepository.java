package io.portwatch.collector.history;

import io.portwatch.collector.db.Timestamps;
import io.agroal.api.AgroalDataSource;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The one owner of table {@code result}: every statement on it is here, on JDBC (the table is the
 * measured hot path, {@code bench/ingest} and {@code bench/query}). Ingest writes results by binary
 * COPY and the rollup folder reads a block back, both on the caller's connection so that they run
 * in its transaction; the API pages a check's history, walking the (check_id, observed_at desc,
 * id desc) index. Reads inside other owners' single statements (the uptime batch, the no-data
 * sweep) are listed in docs/architecture.md.
 */
@ApplicationScoped
public class ResultRepository {

    /** A check's raw results in a time range, for a window's sums: one statement of the uptime batch (UptimeRepository). */
    public static final String WINDOW = "select state, healthy, latency_micros from result"
            + " where check_id = ? and observed_at >= ? and observed_at < ?";

    private static final String COPY_COLUMNS = "(id, check_id, observed_at, state, reason, healthy, address, latency_micros, detail)";
    private static final short COPY_FIELDS = 9;
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final String BLOCK_ROWS = "select id, check_id, observed_at, state, reason, healthy, address,"
            + " latency_micros, detail from result where observed_at between ? and ? and id >= ? and id < ?";

    private static final String PAGE = "select id, observed_at, state, reason, healthy, address, latency_micros, detail"
            + " from result where check_id = ? and observed_at >= ? and observed_at < ?"
            + " and (observed_at, id) < (?, ?)"
            + " order by observed_at desc, id desc limit ?";

    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final AgroalDataSource dataSource;

    ResultRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Newest first, in [from, to), strictly older than the cursor. */
    public HistoryPage page(long checkId, Instant from, Instant to, String cursor, int limit) {
        HistoryCursor after = cursor == null || cursor.isBlank() ? null : HistoryCursor.decode(cursor);
        List<ResultView> rows = new ArrayList<>();
        HistoryCursor last = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PAGE)) {
            ps.setLong(1, checkId);
            ps.setObject(2, from == null ? EARLIEST : Timestamps.utc(from));
            ps.setObject(3, to == null ? LATEST : Timestamps.utc(to));
            ps.setObject(4, after == null ? LATEST : Timestamps.utc(after.observedAt()));
            ps.setLong(5, after == null ? Long.MAX_VALUE : after.id());
            ps.setInt(6, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit) {
                        return new HistoryPage(checkId, rows, last.encode());
                    }
                    Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
                    rows.add(new ResultView(at, PortState.valueOf(rs.getString(3)), rs.getString(4), (Boolean) rs.getObject(5),
                            rs.getString(6), rs.getLong(7) / 1000.0, rs.getString(8)));
                    last = new HistoryCursor(at, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the history of check " + checkId + " failed", e);
        }
        return new HistoryPage(checkId, rows, null);
    }

    /**
     * Raw results into {@code result} with {@code COPY … FROM STDIN (FORMAT binary)}, inside the
     * caller's transaction: PostgreSQL's fastest way in for many rows. The partitioned table routes
     * each row to its day.
     *
     * <p>Binary, not text: PostgreSQL spends less on reading eight-byte integers and microsecond
     * timestamps than on parsing their digits (a psql {@code \copy} of the same 2,000,000 rows took
     * 13 to 21 % less time in binary, see docs/benchmarks.md), and the rows are written straight into
     * one byte array with no escaping. Timestamps are rounded to microseconds exactly as PostgreSQL
     * rounds the nine fraction digits of the text the rest of the collector sends
     * ({@code rint(fraction × 10^6)}), so a result and its check hold the same instant.
     */
    public void copy(Connection c, List<ResultRow> rows) throws SQLException {
        copy(c, "result", rows);
    }

    /** Into {@code table}, which has {@code result}'s columns (tests copy into a table of their own). */
    static void copy(Connection c, String table, List<ResultRow> rows) throws SQLException {
        CopyBinary out = new CopyBinary(COPY_HEADER.length + rows.size() * 120 + 2);
        out.raw(COPY_HEADER);
        for (ResultRow r : rows) {
            out.int16(COPY_FIELDS);
            out.int64(r.id()).int64(r.checkId()).timestamp(r.observedAt()).text(r.state().name()).text(r.reason())
                    .bool(r.health().flag()).text(r.address()).int64(r.latencyMicros()).text(r.detail());
        }
        out.int16((short) -1);
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table + " " + COPY_COLUMNS + " from stdin with (format binary)");
        try {
            copy.writeToCopy(out.bytes, 0, out.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * Reads back the results of one block of ids, [firstId, firstId + rowCount), observed in
     * [minObserved, maxObserved] (which prunes the partitions), on the caller's connection.
     */
    public void blockRows(Connection c, long firstId, int rowCount, Instant minObserved, Instant maxObserved,
            Consumer<ResultRow> sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BLOCK_ROWS)) {
            ps.setObject(1, Timestamps.utc(minObserved));
            ps.setObject(2, Timestamps.utc(maxObserved));
            ps.setLong(3, firstId);
            ps.setLong(4, firstId + rowCount);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new ResultRow(rs.getLong(1), rs.getLong(2), Timestamps.instant(rs, 3),
                            PortState.valueOf(rs.getString(4)), rs.getString(5), Health.of((Boolean) rs.getObject(6)), rs.getString(7),
                            rs.getLong(8), rs.getString(9)));
                }
            }
        }
    }
}
