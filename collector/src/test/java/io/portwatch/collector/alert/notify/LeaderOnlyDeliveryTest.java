package io.portwatch.collector.alert.notify;

import static io.portwatch.collector.alert.notify.NotifierReceivers.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.leader.LeaderLock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Only the leader delivers. The test plays a second collector: it ends the leader's database
 * session (as if that replica died), takes the advisory lock itself and holds it; nothing is
 * delivered meanwhile. When it lets go, this collector leads again and delivers what waited.
 */
@QuarkusTest
class LeaderOnlyDeliveryTest {

    /** LeaderLock's key, 'p','w','l','k'. */
    private static final long LOCK_KEY = 0x70776c6bL;

    @Inject
    NotificationSink sink;

    @Inject
    LeaderLock leader;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCollectorThatIsNotLeaderDeliversNothing() throws Exception {
        await("this collector to lead", Duration.ofSeconds(10), leader::isLeader);
        long alert = Notifications.newAlertId();
        AlertNotification n = Notifications.of(alert, Event.FIRING, "test-webhook");
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(true);
            try (PreparedStatement kill = other.prepareStatement("select pg_terminate_backend(pid) from pg_locks"
                    + " where locktype = 'advisory' and granted and ((classid::bigint << 32) | objid::bigint) = ?")) {
                kill.setLong(1, LOCK_KEY);
                kill.execute();
            }
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                lock.execute(); // waits until the ended session's lock is gone
            }
            await("this collector to notice it lost the lead", Duration.ofSeconds(10), () -> !leader.isLeader());

            QuarkusTransaction.requiringNew().run(() -> sink.enqueue(n));
            Thread.sleep(3000); // three polls
            assertTrue(NotifierReceivers.http("/webhook", b -> b.contains(n.dedupeKey())).isEmpty(), "a follower sent it");
            Map<String, Object> row = Notifications.outbox(alert).get(0);
            assertEquals("PENDING", row.get("status"));
            assertEquals(0, row.get("attempts"));

            try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, LOCK_KEY);
                try (ResultSet rs = unlock.executeQuery()) {
                    assertTrue(rs.next() && rs.getBoolean(1));
                }
            }
        }
        await("this collector to lead again", Duration.ofSeconds(10), leader::isLeader);
        await("the delivery by the new leader", Duration.ofSeconds(10),
                () -> "DELIVERED".equals(Notifications.outbox(alert).get(0).get("status")));
        assertEquals(1, NotifierReceivers.http("/webhook", b -> b.contains(n.dedupeKey())).size());
    }
}
