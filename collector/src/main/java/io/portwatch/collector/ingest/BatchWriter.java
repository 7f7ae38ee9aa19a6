package io.portwatch.collector.ingest;

import io.portwatch.collector.check.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ingest hot path: one batch of results written with JDBC batches inside the caller's
 * transaction. Idempotent by (agent, seq): the ledger row is claimed first, and a batch whose
 * claim fails was stored before.
 */
@ApplicationScoped
class BatchWriter {

    private static final String CLAIM = "insert into ingested_batch (agent_id, seq, received_at, result_count)"
            + " values (?, ?, ?, ?) on conflict do nothing";
    private static final String INSERT_RESULT = "insert into result"
            + " (check_id, observed_at, state, reason, healthy, address, latency_micros, detail)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?)";
    // Right-hand sides see the old row, so state_since moves only when the state changes.
    // A late result never overwrites a newer current state.
    private static final String UPDATE_CURRENT = "update check_instance set"
            + " state_since = case when state is distinct from ? then ? else state_since end,"
            + " state = ?, reason = ?, healthy = ?, address = ?, latency_micros = ?, observed_at = ?"
            + " where id = ? and (observed_at is null or observed_at <= ?)";

    private final CheckRefResolver resolver;

    BatchWriter(CheckRefResolver resolver) {
        this.resolver = resolver;
    }

    /** @return false when this (agent, seq) was already stored, true when stored now */
    boolean write(Connection c, String agentId, ResultBatch batch, Instant receivedAt) throws SQLException {
        if (!claim(c, agentId, batch, receivedAt)) {
            return false;
        }
        List<ProbeResult> valid = valid(agentId, batch);
        if (valid.isEmpty()) {
            return true;
        }
        Set<String> keys = new LinkedHashSet<>();
        valid.forEach(r -> keys.add(r.getInstanceKey()));
        Map<String, CheckRef> refs = resolver.resolve(c, agentId, keys);
        Map<Long, Row> newest = insertResults(c, valid, refs);
        updateCurrentState(c, newest);
        return true;
    }

    private static boolean claim(Connection c, String agentId, ResultBatch batch, Instant receivedAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, agentId);
            ps.setLong(2, batch.getSeq());
            ps.setObject(3, timestamp(receivedAt));
            ps.setInt(4, batch.getResultsCount());
            return ps.executeUpdate() == 1;
        }
    }

    /** A result mapped onto the domain, with health decided by the check's expectation. */
    private record Row(long checkId, Instant observedAt, PortState state, String reason, boolean healthy,
            String address, long latencyMicros, String detail) {}

    /**
     * Results the collector can store. A result it cannot (no state, malformed key) is logged and
     * skipped rather than failing the batch: a refused batch would be re-sent forever, blocking
     * every later one.
     */
    private static List<ProbeResult> valid(String agentId, ResultBatch batch) {
        List<ProbeResult> valid = new ArrayList<>(batch.getResultsCount());
        for (ProbeResult r : batch.getResultsList()) {
            try {
                InstanceKey.parse(r.getInstanceKey());
                ProtoMapping.state(r.getState());
                valid.add(r);
            } catch (ProtocolViolation e) {
                Log.warnf("agent %s batch %d: result skipped: %s", agentId, batch.getSeq(), e.getMessage());
            }
        }
        return valid;
    }

    private static Map<Long, Row> insertResults(Connection c, List<ProbeResult> results, Map<String, CheckRef> refs)
            throws SQLException {
        Map<Long, Row> newest = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_RESULT)) {
            for (ProbeResult r : results) {
                CheckRef ref = refs.get(r.getInstanceKey());
                PortState state = ProtoMapping.state(r.getState());
                Row row = new Row(ref.id(), ProtoMapping.instant(r.getObservedAtMs()), state,
                        ProtoMapping.reason(r.getReason()), ref.expect().isHealthy(state),
                        r.getAddress().isEmpty() ? null : r.getAddress(), r.getLatencyMicros(),
                        r.getDetail().isEmpty() ? null : r.getDetail());
                ps.setLong(1, row.checkId());
                ps.setObject(2, timestamp(row.observedAt()));
                ps.setString(3, row.state().name());
                ps.setString(4, row.reason());
                ps.setBoolean(5, row.healthy());
                setNullable(ps, 6, row.address());
                ps.setLong(7, row.latencyMicros());
                setNullable(ps, 8, row.detail());
                ps.addBatch();
                newest.merge(row.checkId(), row, (a, b) -> b.observedAt().isBefore(a.observedAt()) ? a : b);
            }
            ps.executeBatch();
        }
        return newest;
    }

    private static void updateCurrentState(Connection c, Map<Long, Row> newest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CURRENT)) {
            for (Row row : newest.values()) {
                OffsetDateTime at = timestamp(row.observedAt());
                ps.setString(1, row.state().name());
                ps.setObject(2, at);
                ps.setString(3, row.state().name());
                ps.setString(4, row.reason());
                ps.setBoolean(5, row.healthy());
                setNullable(ps, 6, row.address());
                ps.setLong(7, row.latencyMicros());
                ps.setObject(8, at);
                ps.setLong(9, row.checkId());
                ps.setObject(10, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
