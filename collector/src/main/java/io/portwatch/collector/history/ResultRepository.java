package io.portwatch.collector.history;

import io.portwatch.collector.db.Timestamps;
import io.agroal.api.AgroalDataSource;
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

/** Reads raw results, walking the (check_id, observed_at desc, id desc) index. */
@ApplicationScoped
public class ResultRepository {

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

}
