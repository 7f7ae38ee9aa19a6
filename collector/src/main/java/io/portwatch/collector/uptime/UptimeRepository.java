package io.portwatch.collector.uptime;

import io.portwatch.collector.check.CheckRepository;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.db.SqlArray;
import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.history.ResultRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an uptime report reads, in one round trip on one connection: whether the check
 * exists, the window's sums (raw edges and results not folded yet summed in SQL, with their latencies for
 * {@link LatencyHistogram#bucketOf}; one row per rollup) and the incidents. Under load every
 * extra round trip or connection checkout costs a scheduling delay of the database process, which
 * was most of an uptime request's time. It owns no table: its statements on check_instance,
 * result, the rollups and incident are their owners' ({@link CheckRepository#EXISTS},
 * {@link ResultRepository#WINDOW}, {@link RollupRepository#WINDOW},
 * {@link IncidentRepository#OVERLAPPING}); only the backlog's join to result ({@code PENDING}) is
 * written here, and listed in docs/architecture.md. The status page's bars ({@link #daily}) join
 * two owners' statements the same way.
 */
@ApplicationScoped
class UptimeRepository {

    /**
     * Raw results of blocks the rollup folder has not added yet (rollup_backlog), within the part
     * the rollups cover: with them the answer is exact as of commit. The statement reads rollups
     * and backlog in one snapshot, and a fold adds a block and deletes its backlog row atomically.
     * Driven by the backlog's few rows, one index range per block ({@code offset 0} keeps the
     * planner from flattening it): filtered the other way round, a generic plan started two
     * parallel workers over 30 days of the check's results, 20 ms per report with an empty backlog.
     */
    private static final String PENDING = "select r.state, r.healthy, r.latency_micros from rollup_backlog b"
            + " cross join lateral (select state, healthy, latency_micros from result where check_id = ?"
            + " and observed_at >= greatest(?, b.min_observed) and observed_at < ? and observed_at <= b.max_observed"
            + " and id >= b.first_id and id < b.first_id + b.row_count offset 0) r";
    /** Column order as WindowStats.addCounts takes them; the state names are PortState's. */
    private static final String WINDOW = "with raw as (" + ResultRepository.WINDOW + " union all " + ResultRepository.WINDOW
            + " union all " + PENDING + ")"
            // samples: the known results (healthy is null for an UNKNOWN one), as the rollups count them
            + " select count(healthy), count(*) filter (where healthy), count(*) filter (where state = 'OPEN'),"
            + " count(*) filter (where state = 'CLOSED'), count(*) filter (where state = 'FILTERED'),"
            + " count(*) filter (where state = 'OPEN_FILTERED'), count(*) filter (where state = 'ERROR'),"
            + " count(*) filter (where state = 'UNKNOWN'),"
            + " count(*) filter (where state in ('OPEN', 'CLOSED')),"
            + " coalesce(sum(latency_micros) filter (where state in ('OPEN', 'CLOSED')), 0)::bigint, null::integer[],"
            + " array_agg(latency_micros) filter (where state in ('OPEN', 'CLOSED')) from raw"
            + " union all " + RollupRepository.WINDOW.formatted("rollup_hourly")
            + " union all " + RollupRepository.WINDOW.formatted("rollup_daily")
            + " union all " + RollupRepository.WINDOW.formatted("rollup_hourly");
    /**
     * pgjdbc sends the statements of one prepared statement together, with one Sync. The window
     * statement runs with a generic plan, pruned at execution: a custom plan for each report
     * spent 6 ms planning its partitions (the backlog part reaches over all of them) to run for
     * 1 ms; the generic one is planned once per connection and runs in about 1 ms.
     */
    private static final String SQL = "set plan_cache_mode = force_generic_plan;\n" + CheckRepository.EXISTS + ";\n" + WINDOW + ";\n"
            + IncidentRepository.OVERLAPPING + ";\nreset plan_cache_mode";
    private static final String RESET = "reset plan_cache_mode";

    record Window(WindowStats stats, List<IncidentView> incidents) {}

    private final AgroalDataSource dataSource;

    UptimeRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Empty when there is no such check. */
    Optional<Window> read(long checkId, WindowPlan plan, Instant from, Instant to, int incidentLimit, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setLong(1, checkId);
            int i = 2;
            for (WindowPlan.Range r : List.of(plan.rawBefore(), plan.rawAfter(), plan.rolledUp(), plan.hoursBefore(), plan.days(),
                    plan.hoursAfter())) {
                i = bind(ps, i, checkId, r);
            }
            IncidentRepository.bind(ps, i, checkId, from, to, incidentLimit);
            try {
                ps.execute();
            } catch (SQLException e) {
                // The statements after the failed one did not run: the connection goes back to the pool.
                try (var reset = c.createStatement()) {
                    reset.execute(RESET);
                }
                throw e;
            }
            ps.getMoreResults(); // the SET
            try (ResultSet exists = ps.getResultSet()) {
                if (!exists.next()) {
                    return Optional.empty();
                }
            }
            WindowStats stats = new WindowStats();
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    add(stats, rs);
                }
            }
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                return Optional.of(new Window(stats, IncidentRepository.read(rs, checkId, now)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("computing the uptime of check " + checkId + " failed", e);
        }
    }

    /**
     * The daily rollups of many checks over whole UTC days, with the incidents that overlapped
     * each day: one statement for the status page's bars, whatever the number of checks. Its two
     * parts are the tables' owners' ({@link RollupRepository#DAYS}, {@link IncidentRepository#PER_DAY}).
     */
    private static final String DAILY = "with d as (" + RollupRepository.DAYS + "), i as (" + IncidentRepository.PER_DAY + ")"
            + " select coalesce(d.check_id, i.check_id), coalesce(d.bucket, i.day), coalesce(d.samples, 0),"
            + " coalesce(d.healthy, 0), coalesce(d.unknown, 0), coalesce(i.n, 0)"
            + " from d full join i on i.check_id = d.check_id and i.day = d.bucket";

    /** The days with a rollup row or an incident, of the checks {@code ids}, from {@code from} to {@code to} (UTC midnights). */
    Map<Long, List<DayUptime>> daily(Collection<Long> ids, Instant from, Instant to) {
        Map<Long, List<DayUptime>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DAILY)) {
            Array checks = SqlArray.bigints(c, ids);
            ps.setArray(1, checks);
            ps.setObject(2, Timestamps.utc(from));
            ps.setObject(3, Timestamps.utc(to));
            ps.setObject(4, Timestamps.utc(from));
            ps.setObject(5, Timestamps.utc(to));
            ps.setObject(6, Timestamps.utc(to));
            ps.setArray(7, checks);
            ps.setObject(8, Timestamps.utc(to));
            ps.setObject(9, Timestamps.utc(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getObject(2, OffsetDateTime.class).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new DayUptime(day, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getInt(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the daily uptime of " + ids.size() + " checks failed", e);
        }
        return out;
    }

    private static int bind(PreparedStatement ps, int first, long checkId, WindowPlan.Range range) throws SQLException {
        ps.setLong(first, checkId);
        ps.setObject(first + 1, Timestamps.utc(range.from()));
        ps.setObject(first + 2, Timestamps.utc(range.to()));
        return first + 3;
    }

    private static void add(WindowStats stats, ResultSet rs) throws SQLException {
        long[] states = {rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)};
        stats.addCounts(rs.getLong(1), rs.getLong(2), states, rs.getLong(9), rs.getLong(10));
        Array hist = rs.getArray(11);
        if (hist != null) {
            stats.addHistogram(ints((Integer[]) hist.getArray()));
        }
        Array raw = rs.getArray(12);
        if (raw != null) {
            for (Long micros : (Long[]) raw.getArray()) {
                stats.recordLatency(micros);
            }
        }
    }

    private static int[] ints(Integer[] boxed) {
        int[] out = new int[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = boxed[i] == null ? 0 : boxed[i];
        }
        return out;
    }
}
