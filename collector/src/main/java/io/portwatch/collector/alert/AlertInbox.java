package io.portwatch.collector.alert;

import com.google.protobuf.InvalidProtocolBufferException;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.Jobs;
import io.portwatch.collector.db.Timestamps;
import io.portwatch.collector.ingest.IngestEvent;
import io.portwatch.collector.leader.LeaderLock;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Brings the batches that other replicas stored to the leader's alert engine. A follower queues
 * each batch it stores in {@code alert_inbox}, in the ingest transaction; the leader takes the
 * queue every {@code portwatch.alerts.inbox-interval} and evaluates it as if it had received the
 * batches itself. Without this only the agents connected to the leader would vote.
 */
@ApplicationScoped
public class AlertInbox {

    private static final String QUEUE = "insert into alert_inbox (agent_id, received_at, batch) values (?, ?, ?)";
    private static final String TAKE = "delete from alert_inbox where id in"
            + " (select id from alert_inbox order by id limit ? for update skip locked)"
            + " returning id, agent_id, received_at, batch";
    static final int TAKE_LIMIT = 500;

    private record Queued(long id, IngestEvent.BatchStored batch) {}

    private final AgroalDataSource dataSource;
    private final LeaderLock leader;
    private final AlertEngine engine;
    private final Duration interval;

    AlertInbox(AgroalDataSource dataSource, LeaderLock leader, AlertEngine engine, AlertSettings settings) {
        this.dataSource = dataSource;
        this.leader = leader;
        this.engine = engine;
        this.interval = settings.inboxInterval();
    }

    /** Inside the ingest transaction: a follower queues what it stored for the leader. */
    void onStored(@Observes IngestEvent event) {
        if (!(event instanceof IngestEvent.BatchStored b) || leader.isLeader()) return;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(QUEUE)) {
            ps.setString(1, b.agentId());
            ps.setObject(2, Timestamps.utc(b.receivedAt()));
            ps.setBytes(3, b.batch().toByteArray());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("queueing batch " + b.batch().getSeq() + " of agent " + b.agentId()
                    + " for the leader's alert engine failed", e);
        }
    }

    /** Every inbox-interval, from the typed setting. */
    void schedule(@Observes StartupEvent event, Scheduler jobs) {
        Jobs.every(jobs, "portwatch-alert-inbox", interval, this::scheduledTake);
    }

    void scheduledTake() {
        if (leader.isLeader()) take();
    }

    /** Takes what followers queued (oldest first, per agent in the order stored) and evaluates it. */
    public int take() {
        List<Queued> taken = QuarkusTransaction.requiringNew().call(this::delete);
        taken.sort(Comparator.comparingLong(Queued::id));
        taken.forEach(q -> engine.evaluate(q.batch()));
        return taken.size();
    }

    private List<Queued> delete() {
        List<Queued> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TAKE)) {
            ps.setInt(1, TAKE_LIMIT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(new Queued(rs.getLong(1), new IngestEvent.BatchStored(rs.getString(2),
                                ResultBatch.parseFrom(rs.getBytes(4)), Timestamps.instant(rs, 3))));
                    } catch (InvalidProtocolBufferException e) {
                        Log.errorf("alert inbox row %d is not a ResultBatch, dropped: %s", rs.getLong(1), e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("taking the alert inbox failed", e);
        }
        return out;
    }
}
