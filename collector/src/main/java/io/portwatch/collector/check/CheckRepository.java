package io.portwatch.collector.check;

import io.portwatch.collector.db.SqlArray;
import io.portwatch.collector.db.Timestamps;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The owner of the {@code check_instance} table (docs/architecture.md, "Packages and who may touch
 * a table"). Plain JDBC: the API's lists read thousands of rows straight into {@link CheckView}s
 * (entity hydration would cost more than the query), and the ingest statements run on the ingest
 * transaction's connection; the hot writers' statements (current state per batch, last result per
 * fold) build their parameters as one array per column ({@link SqlArray}); the alert engine's reads
 * (catalog fields, the no-data sweep) return {@link CheckInfo}s. The uptime batch, one round trip
 * over several tables, takes its check statement from here ({@link #EXISTS}).
 */
@ApplicationScoped
public class CheckRepository {

    /** The column order that {@link #view} and {@link CheckJson} read. */
    private static final String SELECT_FIELDS = "select id, agent_id, instance_key, check_name, target, proto, port, expect,"
            + " state, reason, healthy, address, latency_micros, observed_at, state_since, interval_ms, in_catalog,"
            + " labels::text, unknown_since";
    private static final String COLUMNS = SELECT_FIELDS + " from check_instance";
    /** A row version: every update writes a new tuple, with its transaction's id or a new place. */
    private static final String VERSION = "xmin::text || '/' || ctid::text";
    /** VERSION's position after SELECT_FIELDS. */
    private static final int VERSION_COLUMN = 20;
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final CheckRowCache cache;

    CheckRepository(AgroalDataSource dataSource, ObjectMapper json, CollectorSettings settings) {
        this.dataSource = dataSource;
        this.json = json;
        this.cache = new CheckRowCache(settings.api().listCacheRows());
    }

    /**
     * A page of the list: each check's JSON, the last id on the page, whether more rows match.
     * Kept as the rows' own small arrays and written out one by one: one array for a 3.8 MB
     * page was a humongous object to G1, and a young collection (2–37 ms) every second listing.
     */
    public record Page(List<byte[]> rows, long lastId, boolean more) {
        public void writeTo(OutputStream response) throws IOException {
            BufferedOutputStream out = new BufferedOutputStream(response, 32 * 1024);
            out.write('[');
            for (int i = 0; i < rows.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(rows.get(i));
            }
            out.write(']');
            out.flush();
        }
    }

    /**
     * The page of matching checks with id greater than {@code afterId}, by id, at most
     * {@code limit}, as each check's JSON (the same fields as {@link CheckView}, labels as the
     * stored jsonb text): 10,000 checks are 3.8 MB. Both statements read one snapshot: first the page's
     * ids and row versions, then the full rows of those whose JSON {@link CheckRowCache} does not
     * hold for that version, written straight from the rows ({@link CheckJson}).
     */
    public Page list(CheckFilter f, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("select id, ").append(VERSION).append(" from check_instance where id > ?");
        List<Object> args = new ArrayList<>();
        args.add(afterId);
        condition(sql, args, "agent_id = ?", f.agentId());
        condition(sql, args, "target = ?", f.target());
        condition(sql, args, "port = ?", f.port());
        condition(sql, args, "proto = ?", f.proto() == null ? null : f.proto().name());
        if (f.state() == PortState.UNKNOWN) {
            // A check's state is its last known one, never UNKNOWN: "unknown" asks for the checks
            // the API shows as UNKNOWN (effectiveState), those of an agent that is down.
            sql.append(" and unknown_since is not null");
        } else {
            condition(sql, args, "state = ?", f.state() == null ? null : f.state().name());
        }
        condition(sql, args, "healthy = ?", f.healthy());
        sql.append(" order by id limit ?");
        args.add(limit + 1);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            byte[][] rows;
            boolean more;
            List<Long> ids = new ArrayList<>();
            try {
                // For this transaction only: nothing to restore, no round trips to set and reset
                // the connection's own level.
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("set transaction isolation level repeatable read");
                }
                List<String> versions = new ArrayList<>();
                try (PreparedStatement ps = prepare(c, sql.toString(), args); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        versions.add(rs.getString(2));
                    }
                }
                more = ids.size() > limit;
                int n = Math.min(ids.size(), limit);
                rows = new byte[n][];
                long now = System.nanoTime();
                Map<Long, Integer> missing = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    rows[i] = cache.get(ids.get(i), versions.get(i), now);
                    if (rows[i] == null) {
                        missing.put(ids.get(i), i);
                    }
                }
                if (!missing.isEmpty()) {
                    fill(c, missing, rows, now);
                }
                c.commit();
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(autoCommit);
                }
            }
            return new Page(Arrays.asList(rows), rows.length == 0 ? 0 : ids.get(rows.length - 1), more);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("listing checks failed", e);
        }
    }

    /** Writes the JSON of the missing checks (id → position on the page) from their full rows, and keeps it. */
    private void fill(Connection c, Map<Long, Integer> missing, byte[][] rows, long now) throws SQLException, IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1024); // one row at a time
        try (PreparedStatement ps = c.prepareStatement(SELECT_FIELDS + ", " + VERSION + " from check_instance where id = any (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", missing.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery(); JsonGenerator g = json.getFactory().createGenerator(buf, JsonEncoding.UTF8)) {
                g.setRootValueSeparator(null);
                char[] scratch = new char[InstantText.MAX_CHARS];
                while (rs.next()) {
                    CheckJson.write(rs, g, scratch);
                    g.flush();
                    byte[] one = buf.toByteArray();
                    buf.reset();
                    long id = rs.getLong(1);
                    rows[missing.get(id)] = one;
                    cache.put(id, rs.getString(VERSION_COLUMN), one, now);
                }
            }
        }
        for (Map.Entry<Long, Integer> m : missing.entrySet()) {
            if (rows[m.getValue()] == null) {
                throw new IllegalStateException("check " + m.getKey() + " vanished within one snapshot");
            }
        }
    }

    /** One check instance by id. */
    public java.util.Optional<CheckView> byId(long id) {
        return query(COLUMNS + " where id = ?", List.of(id)).stream().findFirst();
    }

    /** Every check probing {@code target}, by protocol, port and agent. */
    public List<CheckView> byTarget(String target) {
        return query(COLUMNS + " where target = ? order by proto, port, agent_id, id", List.of(target));
    }

    /** Every check instance of every agent's current catalog, by id: the findings' side from outside. */
    public List<CheckView> allInCatalog() {
        return query(COLUMNS + " where in_catalog order by id", List.of());
    }

    /** The check instances of the agent's current catalog, by id. */
    public List<CheckView> catalogOf(String agentId) {
        return query(COLUMNS + " where agent_id = ? and in_catalog order by id", List.of(agentId));
    }

    /** How many check instances the agent's current catalog has. */
    public long catalogSize(String agentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, "select count(*) from check_instance where agent_id = ? and in_catalog",
                        List.of(agentId));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("counting the checks of agent " + agentId + " failed", e);
        }
    }

    // ---- the Prometheus export's read: every reported check of the catalogs, one statement ----

    // The total is counted before the limit (window functions run first), so the export can say
    // how many checks it left out.
    private static final String STATUSES = "select agent_id, check_name, target, proto, port, state, healthy,"
            + " latency_micros, unknown_since is not null, count(*) over () from check_instance"
            + " where in_catalog and state is not null order by id limit ?";

    /**
     * A check's current state as the metrics export it: {@code unknown} while its agent is down
     * (the API's effective state UNKNOWN); {@code latencyMicros} of its newest known result.
     */
    public record Status(String agentId, String name, String target, Protocol proto, int port, PortState state,
            boolean healthy, Long latencyMicros, boolean unknown) {}

    /** The first checks by id, and how many checks there are in all. */
    public record Statuses(List<Status> checks, long total) {}

    /**
     * The checks of the agents' current catalogs that have a state (a result arrived), the first
     * {@code limit} by id (the oldest rows: the set stays put as checks change state).
     */
    public Statuses statuses(int limit) {
        List<Status> out = new ArrayList<>();
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, STATUSES, List.of(limit));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long latency = rs.getLong(8);
                Long latencyMicros = rs.wasNull() ? null : latency;
                out.add(new Status(rs.getString(1), rs.getString(2), rs.getString(3), Protocol.valueOf(rs.getString(4)),
                        rs.getInt(5), PortState.valueOf(rs.getString(6)), rs.getBoolean(7), latencyMicros,
                        rs.getBoolean(9)));
                total = rs.getLong(10);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the checks' states failed", e);
        }
        return new Statuses(out, total);
    }

    private static void condition(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(" and ").append(clause);
            args.add(value);
        }
    }

    private List<CheckView> query(String sql, List<Object> args) {
        List<CheckView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(view(rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing checks failed", e);
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    private CheckView view(ResultSet rs) throws SQLException {
        String state = rs.getString(9);
        long latency = rs.getLong(13);
        boolean hasLatency = !rs.wasNull();
        return new CheckView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Protocol.valueOf(rs.getString(6)), rs.getInt(7), Expectation.valueOf(rs.getString(8)),
                state == null ? null : PortState.valueOf(state), rs.getString(10), (Boolean) rs.getObject(11),
                rs.getString(12), hasLatency ? latency / 1000.0 : null, Timestamps.instant(rs, 14), Timestamps.instant(rs, 15),
                (Integer) rs.getObject(16), rs.getBoolean(17), labels(rs.getString(18)), Timestamps.instant(rs, 19));
    }

    private Map<String, String> labels(String text) {
        if (text == null || text.equals("{}")) {
            return Map.of();
        }
        try {
            return json.readValue(text, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable labels " + text, e);
        }
    }

    // ---- the status page's reads: a page of checks in display order, and the counts of all that match ----

    /** The state the page shows: UNKNOWN while the agent is down, PENDING before the first result. */
    private static final String SHOWN_STATE = "case when unknown_since is not null then 'UNKNOWN'"
            + " else coalesce(state, 'PENDING') end";

    /** How many checks of an agent the page shows in one state, healthy or not (null before a result). */
    public record StateCount(String agentId, String state, Boolean healthy, long count) {}

    /**
     * The matching checks of current catalogs by agent, target, port, protocol: {@code limit}
     * from {@code offset}. The page shows a page of them; {@link #stateCounts} counts them all.
     */
    public List<CheckView> statusPage(StatusFilter f, int offset, int limit) {
        List<Object> args = new ArrayList<>();
        String where = statusWhere(f, args);
        args.add(limit);
        args.add(offset);
        return query(COLUMNS + where + " order by agent_id, target, port, proto, check_name, id limit ? offset ?", args);
    }

    /** The matching checks of current catalogs counted by agent, shown state and health: one scan. */
    public List<StateCount> stateCounts(StatusFilter f) {
        List<Object> args = new ArrayList<>();
        String sql = "select agent_id, " + SHOWN_STATE + ", healthy, count(*) from check_instance" + statusWhere(f, args)
                + " group by 1, 2, 3 order by 1, 2";
        List<StateCount> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StateCount(rs.getString(1), rs.getString(2), (Boolean) rs.getObject(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting checks by state failed", e);
        }
        return out;
    }

    private static String statusWhere(StatusFilter f, List<Object> args) {
        StringBuilder sql = new StringBuilder(" where in_catalog");
        condition(sql, args, "agent_id = ?", f.agentId());
        // strpos, not LIKE: the part the user typed is text, with no wildcards to escape.
        condition(sql, args, "strpos(lower(target), lower(?)) > 0", f.target());
        if (f.labelKey() != null) {
            sql.append(" and labels ->> ? = ?");
            args.add(f.labelKey());
            args.add(f.labelValue());
        }
        condition(sql, args, SHOWN_STATE + " = ?", f.state() == null ? null : f.state().name());
        return sql.toString();
    }

    // ---- ingest: the catalog and the rows results name, on the ingest transaction's connection ----

    private static final String UPSERT_CATALOG = "insert into check_instance"
            + " (agent_id, instance_key, check_name, target, proto, port, expect, interval_ms, timeout_ms, labels, in_catalog)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, true)"
            + " on conflict (agent_id, instance_key) do update set check_name = excluded.check_name,"
            + " target = excluded.target, proto = excluded.proto, port = excluded.port, expect = excluded.expect,"
            + " interval_ms = excluded.interval_ms, timeout_ms = excluded.timeout_ms, labels = excluded.labels,"
            + " in_catalog = true";
    private static final String RETIRE_MISSING = "update check_instance set in_catalog = false"
            + " where agent_id = ? and in_catalog and not (instance_key = any (?))";
    private static final String COUNT_OTHERS = "select count(*) from check_instance"
            + " where agent_id = ? and not (instance_key = any (?))";
    private static final String COUNT = "select count(*) from check_instance where agent_id = ?";
    private static final String REFS = "select id, instance_key, expect from check_instance"
            + " where agent_id = ? and instance_key = any (?)";
    private static final String INSERT_FROM_KEY = "insert into check_instance"
            + " (agent_id, instance_key, check_name, target, proto, port, expect)"
            + " values (?, ?, ?, ?, ?, ?, 'OPEN') on conflict (agent_id, instance_key) do nothing";
    private static final String MARK_UNKNOWN = "update check_instance set unknown_since = ? where agent_id = ?";

    /** One instance of an agent's catalog; labels as their JSON text. */
    public record CatalogEntry(String key, String checkName, String target, Protocol proto, int port,
            Expectation expect, int intervalMs, int timeoutMs, String labelsJson) {}

    /** A row made from a result's instance key alone (its catalog has not arrived). */
    public record KeyOnly(String key, String checkName, String target, Protocol proto, int port) {}

    /**
     * Replaces the agent's catalog: {@code entries} are upserted and in it, the agent's other rows
     * leave it (their history is kept).
     */
    public void storeCatalog(Connection c, String agentId, List<CatalogEntry> entries) throws SQLException {
        String[] keys = new String[entries.size()];
        try (PreparedStatement upsert = c.prepareStatement(UPSERT_CATALOG);
                PreparedStatement retire = c.prepareStatement(RETIRE_MISSING)) {
            for (int i = 0; i < keys.length; i++) {
                CatalogEntry e = entries.get(i);
                keys[i] = e.key();
                upsert.setString(1, agentId);
                upsert.setString(2, e.key());
                upsert.setString(3, e.checkName());
                upsert.setString(4, e.target());
                upsert.setString(5, e.proto().name());
                upsert.setInt(6, e.port());
                upsert.setString(7, e.expect().name());
                upsert.setInt(8, e.intervalMs());
                upsert.setInt(9, e.timeoutMs());
                upsert.setString(10, e.labelsJson());
                upsert.addBatch();
            }
            upsert.executeBatch();
            retire.setString(1, agentId);
            retire.setArray(2, c.createArrayOf("text", keys));
            retire.executeUpdate();
        }
    }

    /** How many rows the agent has besides those of {@code keys}. */
    public long countOthers(Connection c, String agentId, String[] keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_OTHERS)) {
            ps.setString(1, agentId);
            ps.setArray(2, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many rows the agent has. */
    public long count(Connection c, String agentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The rows of those of {@code keys} that exist, by key. */
    public Map<String, CheckRef> refs(Connection c, String agentId, List<String> keys) throws SQLException {
        Map<String, CheckRef> refs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(REFS)) {
            ps.setString(1, agentId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.put(rs.getString(2), new CheckRef(rs.getLong(1), Expectation.valueOf(rs.getString(3))));
                }
            }
        }
        return refs;
    }

    /** Makes the rows that do not exist yet from their keys (expect OPEN until the catalog says). */
    public void insertFromKeys(Connection c, String agentId, List<KeyOnly> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_FROM_KEY)) {
            for (KeyOnly k : rows) {
                ps.setString(1, agentId);
                ps.setString(2, k.key());
                ps.setString(3, k.checkName());
                ps.setString(4, k.target());
                ps.setString(5, k.proto().name());
                ps.setInt(6, k.port());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The agent's checks are UNKNOWN since {@code since} (its AGENT_DOWN alert), or no longer (null). */
    public void markUnknown(Connection c, String agentId, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK_UNKNOWN)) {
            ps.setObject(1, since == null ? null : Timestamps.utc(since));
            ps.setString(2, agentId);
            ps.executeUpdate();
        }
    }

    // ---- ingest's hot writers: one set-based statement per batch or fold, on its connection ----

    // Joined to the ids rather than filtered by "id = any (?)": a plan that scans the table tests
    // every row against the whole array (7 ms per batch of 900 checks among 16,000).
    private static final String CURRENT = "select c.id, c.state, c.reason, c.healthy, c.observed_at"
            + " from unnest(?::bigint[]) as u(id) join check_instance c on c.id = u.id";
    // Right-hand sides see the old row, so state_since moves only when the state changes.
    private static final String UPDATE_STATES = "update check_instance c set"
            + " state_since = case when c.state is distinct from u.state then u.observed_at else c.state_since end,"
            + " state = u.state, reason = u.reason, healthy = u.healthy, address = u.address,"
            + " latency_micros = u.latency_micros, observed_at = u.observed_at"
            + " from unnest(?::bigint[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::bigint[], ?::timestamptz[])"
            + " as u(id, state, reason, healthy, address, latency_micros, observed_at)"
            + " where c.id = u.id and (c.observed_at is null or c.observed_at <= u.observed_at)";
    private static final String LOCK_SKIP_LOCKED = "select id from check_instance where id = any (?)"
            + " order by id for no key update skip locked";
    private static final String UPDATE_LAST_RESULTS = "update check_instance c set observed_at = u.observed_at,"
            + " latency_micros = case when u.known then u.latency_micros else c.latency_micros end,"
            + " address = case when u.known then u.address else c.address end"
            + " from unnest(?::bigint[], ?::timestamptz[], ?::bigint[], ?::text[], ?::boolean[])"
            + " as u(id, observed_at, latency_micros, address, known)"
            + " where c.id = u.id and (c.observed_at is null or c.observed_at < u.observed_at)";

    /** A check's current state as stored. */
    public record StoredState(String state, String reason, Boolean healthy, Instant observedAt) {}

    /** A check's new current state: its newest known result of a batch. */
    public record NewState(long id, PortState state, String reason, boolean healthy, String address,
            long latencyMicros, Instant observedAt) {}

    /** A check's newest result of a fold; {@code known} false keeps its latency and address. */
    public record LastResult(long id, Instant observedAt, long latencyMicros, String address, boolean known) {}

    /** The current states of {@code ids} that exist. Takes no lock (ingest holds the agent row's). */
    public Map<Long, StoredState> currentStates(Connection c, java.util.Collection<Long> ids) throws SQLException {
        Map<Long, StoredState> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CURRENT)) {
            ps.setArray(1, SqlArray.bigints(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.time.OffsetDateTime at = rs.getObject(5, java.time.OffsetDateTime.class);
                    out.put(rs.getLong(1), new StoredState(rs.getString(2), rs.getString(3), (Boolean) rs.getObject(4),
                            at == null ? null : at.toInstant()));
                }
            }
        }
        return out;
    }

    /** Writes the new current states in one statement; never backwards (a row newer than one stays). */
    public void updateStates(Connection c, List<NewState> states) throws SQLException {
        if (states.isEmpty()) {
            return;
        }
        int n = states.size();
        SqlArray ids = new SqlArray(n);
        SqlArray names = new SqlArray(n);
        SqlArray reasons = new SqlArray(n);
        SqlArray healthy = new SqlArray(n);
        SqlArray addresses = new SqlArray(n);
        SqlArray latencies = new SqlArray(n);
        SqlArray observed = new SqlArray(n);
        for (NewState s : states) {
            ids.add(s.id());
            names.add(s.state().name());
            reasons.add(s.reason());
            healthy.add(s.healthy());
            addresses.add(s.address());
            latencies.add(s.latencyMicros());
            observed.add(s.observedAt());
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_STATES)) {
            SqlArray.bind(ps, 1, ids, names, reasons, healthy, addresses, latencies, observed);
            ps.executeUpdate();
        }
    }

    /** Locks, in id order, the rows of {@code ids} no other transaction holds; returns those. */
    public java.util.SortedSet<Long> lockFree(Connection c, java.util.Collection<Long> ids) throws SQLException {
        java.util.SortedSet<Long> locked = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_SKIP_LOCKED)) {
            ps.setArray(1, SqlArray.bigints(c, new java.util.TreeSet<>(ids)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.add(rs.getLong(1));
                }
            }
        }
        return locked;
    }

    /** Moves each check's newest result time (and, when known, latency and address) forward. */
    public void updateLastResults(Connection c, List<LastResult> results) throws SQLException {
        int n = results.size();
        SqlArray ids = new SqlArray(n);
        SqlArray observed = new SqlArray(n);
        SqlArray latencies = new SqlArray(n);
        SqlArray addresses = new SqlArray(n);
        SqlArray known = new SqlArray(n);
        for (LastResult r : results) {
            ids.add(r.id());
            observed.add(r.observedAt());
            latencies.add(r.latencyMicros());
            addresses.add(r.address());
            known.add(r.known());
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_LAST_RESULTS)) {
            SqlArray.bind(ps, 1, ids, observed, latencies, addresses, known);
            ps.executeUpdate();
        }
    }

    // ---- the alert engine's reads: catalog fields of checks, and the no-data sweep ----

    /** The columns {@link #info} reads, in order. */
    private static final String INFO = "select id, agent_id, instance_key, check_name, target, proto, port, expect,"
            + " interval_ms, labels::text from check_instance";
    /** Whether a check exists; the uptime batch reads it first, in its one round trip. */
    public static final String EXISTS = "select 1 from check_instance where id = ?";

    /** The columns of {@link #INFO} first, then when it last reported and whether its agent is down. */
    private static final String STALE = "with s as (select c.*, ?::timestamptz - c.interval_ms * ? * interval '1 millisecond' as horizon"
            + " from check_instance c where c.in_catalog and c.interval_ms > 0),"
            // Each agent's newest result once, not a scan of its checks for every stale one (that
            // took 24 s with 8,000 stale checks).
            + " heard as (select agent_id, max(observed_at) as newest from check_instance group by agent_id)"
            + " select s.id, s.agent_id, s.instance_key, s.check_name, s.target, s.proto,"
            + " s.port, s.expect, s.interval_ms, s.labels::text, coalesce(s.observed_at, s.added_at), a.last_seen < ?,"
            // The agent itself silent as long (no heartbeat, no result of any of its checks): that is
            // the agent-down case, one alert for the agent after agent-down-after, not one per check now.
            + " not (a.last_seen >= s.horizon or coalesce(h.newest >= s.horizon, false))"
            + " from s join agent a on a.id = s.agent_id left join heard h on h.agent_id = s.agent_id"
            + " where coalesce(s.observed_at, s.added_at) < s.horizon"
            // A silent agent's checks matter only when they hold a NO_DATA alert (kept until the
            // agent is back): a down agent's thousands of checks are not read every sweep. CASE
            // makes this test come first: as two ANDed conditions, the planner evaluated the
            // result subquery below (which needs only s) while scanning check_instance, before the
            // join that knows the agent is silent — 10,000 index probes into each of the result
            // partitions it could not prune, every sweep, for a down agent's checks.
            + " and case when a.last_seen >= s.horizon or coalesce(h.newest >= s.horizon, false)"
            + " or s.agent_id || '|' || s.instance_key = any (?)"
            // The check's newest result reaches check_instance with the rollup fold: look at the
            // raw results of those that seem stale before calling them so — only the results not
            // folded yet (the backlog's) and those of the last minute, and one check at a time
            // through the (check_id, observed_at) index. A scalar subquery, so the planner cannot
            // turn it into a join: as NOT EXISTS it became a parallel scan of every result
            // partition, 20 s per sweep with 10,000 stale checks over 86M results.
            + " then (select max(r.observed_at) from result r where r.check_id = s.id and r.observed_at >="
            + " greatest(s.horizon, least(coalesce((select min(min_observed) from rollup_backlog), ?::timestamptz),"
            + " ?::timestamptz - interval '1 minute'))) is null else false end";


    /** A check that reported nothing for its no-data horizon, when last heard of, and its agent's state. */
    public record StaleCheck(CheckInfo info, Instant lastHeard, boolean agentDown, boolean agentSilent) {}

    /** The catalog fields of those of {@code keys} that are rows of the agent. */
    public List<CheckInfo> infos(Connection c, String agentId, java.util.Collection<String> keys) throws SQLException {
        List<CheckInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INFO + " where agent_id = ? and instance_key = any (?)")) {
            ps.setString(1, agentId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(info(rs));
                }
            }
        }
        return out;
    }

    /** Any agent's check with this instance key (the lowest id), null when there is none. */
    public CheckInfo anyInfoByKey(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INFO + " where instance_key = ? order by id limit 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? info(rs) : null;
            }
        }
    }

    /**
     * The checks in a catalog with no result for {@code intervals} of their interval, as of
     * {@code now}: those of agents heard from within that time, and those of silent agents only
     * where {@code held} (agent|key) names them (they hold a NO_DATA alert).
     */
    public List<StaleCheck> stale(Connection c, Instant now, int intervals, Instant agentDownBefore,
            java.util.Collection<String> held) throws SQLException {
        List<StaleCheck> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(STALE)) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setInt(2, intervals);
            ps.setObject(3, Timestamps.utc(agentDownBefore));
            ps.setArray(4, c.createArrayOf("text", held.toArray()));
            ps.setObject(5, Timestamps.utc(now));
            ps.setObject(6, Timestamps.utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StaleCheck(info(rs), rs.getObject(11, java.time.OffsetDateTime.class).toInstant(),
                            rs.getBoolean(12), rs.getBoolean(13)));
                }
            }
        }
        return out;
    }

    /** Reads the columns of {@link #INFO} (in that order, from column 1). */
    private CheckInfo info(ResultSet rs) throws SQLException {
        Integer interval = (Integer) rs.getObject(9);
        return new CheckInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Protocol.valueOf(rs.getString(6)), rs.getInt(7), Expectation.valueOf(rs.getString(8)), interval,
                labels(rs.getString(10)));
    }
}
