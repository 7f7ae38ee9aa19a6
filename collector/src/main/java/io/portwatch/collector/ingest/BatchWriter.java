package io.portwatch.collector.ingest;

import io.portwatch.collector.db.SqlArray;
import io.portwatch.collector.check.CheckRef;
import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.db.PartitionManager;
import io.portwatch.collector.db.PartitionedTable;
import io.portwatch.collector.history.ResultRepository;
import io.portwatch.collector.history.ResultRow;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ingest hot path: one or more batches written inside the caller's transaction with a
 * constant number of statements, whatever their size — raw results by COPY with their backlog
 * blocks, state changes and incidents. The rollups follow after commit ({@link RollupFolder}).
 * Idempotent by (agent, seq): the ledger row is claimed first, and a batch whose claim fails was
 * stored before.
 */
@ApplicationScoped
class BatchWriter {

    private static final String CLAIM = "insert into ingested_batch (agent_id, seq, received_at, result_count)"
            + " select ?, u.seq, ?, u.result_count from unnest(?::bigint[], ?::int[]) as u(seq, result_count)"
            + " on conflict do nothing returning seq";

    private final CheckRefResolver resolver;
    private final ResultRepository results;
    private final RollupBacklog backlog;
    private final RollupFolder folder;
    private final CurrentStateWriter currentState;
    private final PartitionManager partitions;
    private final CollectorSettings settings;
    private final TransactionSynchronizationRegistry transactions;

    BatchWriter(CheckRefResolver resolver, ResultRepository results, RollupBacklog backlog, RollupFolder folder,
            CurrentStateWriter currentState, PartitionManager partitions, CollectorSettings settings,
            TransactionSynchronizationRegistry transactions) {
        this.resolver = resolver;
        this.results = results;
        this.backlog = backlog;
        this.folder = folder;
        this.currentState = currentState;
        this.partitions = partitions;
        this.settings = settings;
        this.transactions = transactions;
    }

    /**
     * Stores those of {@code batches} (consecutive batches of one agent) whose (agent, seq) is
     * new, all together: their results are summed per check and bucket as if they were one batch.
     *
     * @return the seqs stored now; the others had been stored before
     */
    Set<Long> write(Connection c, String agentId, List<ResultBatch> batches, Instant receivedAt) throws SQLException {
        Set<Long> claimed = claim(c, agentId, batches, receivedAt);
        List<ProbeResult> valid = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (ResultBatch b : batches) {
            if (claimed.contains(b.getSeq()) && seen.add(b.getSeq())) {
                valid(agentId, b, receivedAt, valid);
            }
        }
        if (valid.isEmpty()) {
            return claimed;
        }
        Set<String> keys = new LinkedHashSet<>();
        valid.forEach(r -> keys.add(r.getInstanceKey()));
        Map<String, CheckRef> refs = resolver.resolve(c, agentId, keys);
        long[] firstIds = backlog.reserve(c, valid.size());
        List<ResultRow> rows = new ArrayList<>(valid.size());
        for (int i = 0; i < valid.size(); i++) {
            ProbeResult r = valid.get(i);
            rows.add(row(firstIds[i / RollupBacklog.BLOCK] + i % RollupBacklog.BLOCK, r, refs.get(r.getInstanceKey())));
        }
        rows.stream().map(r -> r.observedAt().truncatedTo(ChronoUnit.DAYS)).distinct()
                .forEach(day -> partitions.ensure(PartitionedTable.RESULT, day));
        results.copy(c, rows);
        List<RollupBacklog.Block> blocks = blocks(agentId, firstIds, rows);
        backlog.insert(c, agentId, blocks);
        currentState.write(c, rows);
        List<Long> blockIds = blocks.stream().map(RollupBacklog.Block::firstId).toList();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    folder.accept(blockIds, rows);
                }
            }
        });
        return claimed;
    }

    /** The backlog rows of the blocks that numbered {@code rows}, in order. */
    private static List<RollupBacklog.Block> blocks(String agentId, long[] firstIds, List<ResultRow> rows) {
        List<RollupBacklog.Block> blocks = new ArrayList<>(firstIds.length);
        for (int b = 0; b < firstIds.length; b++) {
            List<ResultRow> part = rows.subList(b * RollupBacklog.BLOCK, Math.min(rows.size(), (b + 1) * RollupBacklog.BLOCK));
            Instant min = part.get(0).observedAt();
            Instant max = min;
            for (ResultRow r : part) {
                min = r.observedAt().isBefore(min) ? r.observedAt() : min;
                max = r.observedAt().isAfter(max) ? r.observedAt() : max;
            }
            blocks.add(new RollupBacklog.Block(firstIds[b], part.size(), agentId, min, max));
        }
        return blocks;
    }

    /** Claims every distinct seq in one statement; returns those not claimed before. */
    private static Set<Long> claim(Connection c, String agentId, List<ResultBatch> batches, Instant receivedAt)
            throws SQLException {
        SqlArray seqs = new SqlArray(batches.size());
        SqlArray counts = new SqlArray(batches.size());
        Set<Long> distinct = new HashSet<>();
        for (ResultBatch b : batches) {
            if (distinct.add(b.getSeq())) {
                seqs.add(b.getSeq());
                counts.add(b.getResultsCount());
            }
        }
        Set<Long> claimed = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, agentId);
            ps.setObject(2, Timestamps.utc(receivedAt));
            SqlArray.bind(ps, 3, seqs, counts);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getLong(1));
                }
            }
        }
        return claimed;
    }

    /**
     * Adds to {@code valid} the results of the batch the collector can store. One it cannot (no state, malformed key, a time outside
     * what is kept) is logged and skipped rather than failing the batch: a refused batch would be
     * re-sent forever, blocking every later one.
     */
    private void valid(String agentId, ResultBatch batch, Instant now, List<ProbeResult> valid) {
        Instant oldest = now.minus(Duration.ofDays(settings.retention().rawDays()));
        Instant newest = now.plus(settings.ingest().maxClockSkew());
        for (ProbeResult r : batch.getResultsList()) {
            try {
                InstanceKey.validate(r.getInstanceKey());
                ProtoMapping.state(r.getStateValue());
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
    }

    private static ResultRow row(long id, ProbeResult r, CheckRef ref) {
        var state = ProtoMapping.state(r.getStateValue());
        String reason = ProtoMapping.reason(r.getReason());
        return new ResultRow(id, ref.id(), ProtoMapping.instant(r.getObservedAtMs()), state,
                reason, ref.expect().health(state, reason),
                r.getAddress().isEmpty() ? null : r.getAddress(), r.getLatencyMicros(),
                r.getDetail().isEmpty() ? null : r.getDetail());
    }
}
