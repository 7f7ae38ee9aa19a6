package io.portwatch.collector.leader;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.CommandMode;
import io.portwatch.collector.Jobs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Leadership among collector replicas sharing one PostgreSQL: a session-level advisory lock held
 * on a connection of its own. Whoever holds it evaluates alerts, notifies and runs maintenance;
 * every replica ingests. When the leader dies its session ends, PostgreSQL releases the lock and
 * the next {@link #refresh()} of another replica (every 2 s) takes it over.
 *
 * <p>Operators see who leads through the gauge {@code portwatch_collector_leader} (1 on the leader,
 * 0 elsewhere: the sum over replicas must be 1) and the {@code leader} entry of /q/health.
 */
@ApplicationScoped
public class LeaderLock {

    /** 'p','w','l','k': one key for the whole installation. */
    public static final long LOCK_KEY = 0x70776c6bL;

    private static final Logger LOG = Logger.getLogger(LeaderLock.class);

    private final AgroalDataSource dataSource;
    private final Duration refreshInterval;
    private Connection session;
    private volatile boolean leader;

    LeaderLock(AgroalDataSource dataSource, MeterRegistry registry, CollectorSettings settings) {
        this.dataSource = dataSource;
        this.refreshInterval = settings.leader().refreshInterval();
        Gauge.builder("portwatch.collector.leader", this, lock -> lock.leader ? 1 : 0)
                .description("1 while this collector replica holds the leader lock (evaluates alerts, runs retention)")
                .register(registry);
    }

    /** True while this replica holds the lock (checked every refresh-interval, 2 s by default, so at most that stale). */
    public boolean isLeader() {
        return leader;
    }

    /** Tries at once, then every refresh-interval (scheduled from the typed setting). */
    void onStart(@Observes StartupEvent event, Scheduler jobs) {
        if (CommandMode.active()) {
            return; // a command (collector keys ...) never leads
        }
        refresh();
        Jobs.every(jobs, "portwatch-leader-refresh", refreshInterval, this::refresh);
    }

    public synchronized void refresh() {
        try {
            if (session == null || session.isClosed()) {
                session = dataSource.getConnection();
                session.setAutoCommit(true);
            }
            boolean held = leader ? stillHeld() : tryAcquire();
            if (held != leader) LOG.infof(held ? "this collector is now the leader" : "this collector lost the leadership");
            leader = held;
        } catch (SQLException e) {
            if (leader) LOG.warnf("this collector lost the leadership: %s", e.getMessage());
            closeSession(leader);
            leader = false;
        }
    }

    private boolean tryAcquire() throws SQLException {
        try (PreparedStatement st = session.prepareStatement("select pg_try_advisory_lock(?)")) {
            st.setLong(1, LOCK_KEY);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The lock lives as long as the session: a live session that holds it is still the leader. */
    private boolean stillHeld() throws SQLException {
        try (PreparedStatement st = session.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()"
                        + " and ((classid::bigint << 32) | objid::bigint) = ?")) {
            st.setLong(1, LOCK_KEY);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        closeSession(leader);
        leader = false;
    }

    /**
     * Unlocks before closing: the session is a pooled connection, so closing it alone would leave
     * the lock with an idle connection of the pool (no leader anywhere until the pool drops it),
     * and a rolling update would wait for the pool's shutdown to see a new leader.
     */
    private void closeSession(boolean mayHoldLock) {
        if (session == null) return;
        if (mayHoldLock) unlock();
        try {
            session.close();
        } catch (SQLException ignored) {
            // the session is gone either way, and with it the lock
        }
        session = null;
    }

    private void unlock() {
        try (PreparedStatement st = session.prepareStatement("select pg_advisory_unlock(?)")) {
            st.setLong(1, LOCK_KEY);
            st.execute();
        } catch (SQLException e) {
            LOG.debugf("unlock failed (a broken session holds no lock): %s", e.getMessage());
        }
    }
}
