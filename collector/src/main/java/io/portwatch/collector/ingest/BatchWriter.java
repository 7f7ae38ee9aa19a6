package io.portwatch.collector.ingest;

import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.db.PartitionManager;
import io.portwatch.collector.db.PartitionedTable;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ingest hot path: one batch written inside the caller's transaction with a constant number
 * of statements, whatever its size — raw results by COPY, set-based rollups, current state and
 * incidents. Idempotent by (agent, seq): the ledger row is claimed first, and a batch whose claim
 * fails was stored before.
 */
@ApplicationScoped
class BatchWriter {

    private static final String CLAIM = "insert into ingested_batch (agent_id, seq, received_at, result_count)"
            + " values (?, ?, ?, ?) on conflict do nothing";

    private final CheckRefResolver resolver;
    private final RollupWriter rollups;
    private final CurrentStateWriter currentState;
    private final PartitionManager partitions;
    private final CollectorSettings settings;

    BatchWriter(CheckRefResolver resolver, RollupWriter rollups, CurrentStateWriter currentState,
            PartitionManager partitions, CollectorSettings settings) {
        this.resolver = resolver;
        this.rollups = rollups;
        this.currentState = currentState;
        this.partitions = partitions;
        this.settings = settings;
    }

    /** @return false when this (agent, seq) was already stored, true when stored now */
    boolean write(Connection c, String agentId, ResultBatch batch, Instant receivedAt) throws SQLException {
        if (!claim(c, agentId, batch, receivedAt)) {
            return false;
        }
        List<ProbeResult> valid = valid(agentId, batch, receivedAt);
        if (valid.isEmpty()) {
            return true;
        }
        Set<String> keys = new LinkedHashSet<>();
        valid.forEach(r -> keys.add(r.getInstanceKey()));
        Map<String, CheckRef> refs = resolver.resolve(c, agentId, keys);
        List<ResultRow> rows = new ArrayList<>(valid.size());
        for (ProbeResult r : valid) {
            rows.add(row(r, refs.get(r.getInstanceKey())));
        }
        rows.stream().map(r -> r.observedAt().truncatedTo(ChronoUnit.DAYS)).distinct()
                .forEach(day -> partitions.ensure(PartitionedTable.RESULT, day));
        ResultCopy.write(c, rows);
        rollups.write(c, rows);
        currentState.write(c, rows);
        return true;
    }

    private static boolean claim(Connection c, String agentId, ResultBatch batch, Instant receivedAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, agentId);
            ps.setLong(2, batch.getSeq());
            ps.setObject(3, Timestamps.utc(receivedAt));
            ps.setInt(4, batch.getResultsCount());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Results the collector can store. One it cannot (no state, malformed key, a time outside
     * what is kept) is logged and skipped rather than failing the batch: a refused batch would be
     * re-sent forever, blocking every later one.
     */
    private List<ProbeResult> valid(String agentId, ResultBatch batch, Instant now) {
        Instant oldest = now.minus(Duration.ofDays(settings.retention().rawDays()));
        Instant newest = now.plus(settings.ingest().maxClockSkew());
        List<ProbeResult> valid = new ArrayList<>(batch.getResultsCount());
        for (ProbeResult r : batch.getResultsList()) {
            try {
                InstanceKey.parse(r.getInstanceKey());
                ProtoMapping.state(r.getState());
                Instant at = ProtoMapping.instant(r.getObservedAtMs());
                if (at.isBefore(oldest) || at.isAfter(newest)) {
                    throw new ProtocolViolation("observed at " + at + ", outside the kept range " + oldest + " .. "
                            + newest + " (is the agent's clock right?)");
                }
                valid.add(r);
            } catch (ProtocolViolation e) {
                Log.warnf("agent %s batch %d: result skipped: %s", agentId, batch.getSeq(), e.getMessage());
            }
        }
        return valid;
    }

    private static ResultRow row(ProbeResult r, CheckRef ref) {
        var state = ProtoMapping.state(r.getState());
        return new ResultRow(ref.id(), ProtoMapping.instant(r.getObservedAtMs()), state,
                ProtoMapping.reason(r.getReason()), ref.expect().isHealthy(state),
                r.getAddress().isEmpty() ? null : r.getAddress(), r.getLatencyMicros(),
                r.getDetail().isEmpty() ? null : r.getDetail());
    }
}
