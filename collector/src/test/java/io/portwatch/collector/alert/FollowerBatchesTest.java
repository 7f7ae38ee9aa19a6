package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.alert.AlertFixture.alertsAbout;
import static io.portwatch.collector.alert.AlertFixture.events;
import static io.portwatch.proto.v1.PortState.CLOSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.leader.LeaderLock;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Protocol;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every replica ingests, only the leader evaluates: batches stored while this collector is a
 * follower wait in {@code alert_inbox} and count once the leader (here: this collector again,
 * after the test, playing another replica, lets go of the lock) takes them.
 */
@QuarkusTest
@TestProfile(AlertTestProfile.class)
class FollowerBatchesTest {

    /** LeaderLock's key, 'p','w','l','k'. */
    private static final long LOCK_KEY = 0x70776c6bL;

    @Inject
    AlertEngine engine;

    @Inject
    RecordingNotificationSink sink;

    @Inject
    LeaderLock leader;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void batchesStoredByAFollowerAreEvaluatedByTheLeader() throws Exception {
        await("this collector to lead", leader::isLeader);
        CheckInstance api = instance("api", "follower.test", Protocol.TCP, 9443, Expectation.EXPECT_OPEN);
        Instant t0 = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (Connection other = dataSource.getConnection(); TestAgent agent = new TestAgent(engine, "follower-a1", List.of(api))) {
            other.setAutoCommit(true);
            execute(other, "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted"
                    + " and ((classid::bigint << 32) | objid::bigint) = ?");
            execute(other, "select pg_advisory_lock(?)"); // waits until the ended session's lock is gone
            await("this collector to notice it follows", () -> !leader.isLeader());

            agent.send(api, t0, CLOSED).send(api, t0.plusSeconds(10), CLOSED).send(api, t0.plusSeconds(20), CLOSED);
            assertTrue(alertsAbout("follower.test").isEmpty(), "a follower evaluated");
            assertEquals(3, count(other, "select count(*) from alert_inbox where agent_id = 'follower-a1'"),
                    "each stored batch waits for the leader");

            execute(other, "select pg_advisory_unlock(?)");
            await("this collector to lead again", leader::isLeader);
            await("the leader to take the inbox and fire", () -> !alertsAbout("follower.test", "FIRING").isEmpty());
            assertEquals(0, count(other, "select count(*) from alert_inbox"), "the inbox is emptied");
        }
        engine.flush();
        assertEquals(List.of(Event.FIRING), events(sink, "default", "follower.test"), "fired once, from the follower's batches");
        Map<String, Object> alert = alertsAbout("follower.test", "FIRING").get(0);
        assertEquals(List.of("follower-a1"), alert.get("voters"));
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
