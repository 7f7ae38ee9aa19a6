package io.portwatch.collector.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.portwatch.collector.leader.LeaderLock;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PartitionMaintenanceTest {

    @Inject
    PartitionManager partitions;

    @Inject
    PartitionMaintenance maintenance;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LeaderLock leader;

    @Test
    void partitionsExistAheadOfTimeAfterStartup() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> results = partitions.partitions(PartitionedTable.RESULT);
        for (int d = 0; d <= 3; d++) {
            assertTrue(results.contains(PartitionedTable.RESULT.partitionName(today.plusDays(d))), "day +" + d + " in " + results);
        }
        assertTrue(partitions.partitions(PartitionedTable.ROLLUP_HOURLY)
                .contains(PartitionedTable.ROLLUP_HOURLY.partitionName(today.withDayOfMonth(1))));
        assertTrue(partitions.partitions(PartitionedTable.ROLLUP_DAILY)
                .contains(PartitionedTable.ROLLUP_DAILY.partitionName(today.withDayOfYear(1))));
    }

    @Test
    void retentionDropsWholePartitionsPastTheirHorizonAndKeepsTheRest() throws Exception {
        Instant now = Instant.now();
        Instant old = now.minus(Duration.ofDays(45));   // raw retention: 30 days
        Instant kept = now.minus(Duration.ofDays(10));
        Instant ancient = now.minus(Duration.ofDays(800)); // rollup retention: 400 days
        partitions.ensure(PartitionedTable.RESULT, old);
        partitions.ensure(PartitionedTable.RESULT, kept);
        partitions.ensure(PartitionedTable.ROLLUP_HOURLY, ancient);
        partitions.ensure(PartitionedTable.ROLLUP_DAILY, ancient);
        partitions.ensure(PartitionedTable.ROLLUP_HOURLY, old);
        insertResult(old);
        insertResult(kept);

        maintenance.applyRetention(now);

        List<String> results = partitions.partitions(PartitionedTable.RESULT);
        assertFalse(results.contains(name(PartitionedTable.RESULT, old)), "45-day-old raw partition dropped");
        assertTrue(results.contains(name(PartitionedTable.RESULT, kept)), "10-day-old raw partition kept");
        assertFalse(partitions.partitions(PartitionedTable.ROLLUP_HOURLY).contains(name(PartitionedTable.ROLLUP_HOURLY, ancient)));
        assertFalse(partitions.partitions(PartitionedTable.ROLLUP_DAILY).contains(name(PartitionedTable.ROLLUP_DAILY, ancient)));
        assertTrue(partitions.partitions(PartitionedTable.ROLLUP_HOURLY).contains(name(PartitionedTable.ROLLUP_HOURLY, old)),
                "rollups outlive raw results");
        assertEquals(0, count("select count(*) from result where observed_at < now() - interval '31 days'"));
        assertEquals(1, count("select count(*) from result where check_id = -1 and observed_at > now() - interval '11 days'"));

        // A partition dropped by retention is created again on demand (a late, still-kept result).
        partitions.ensure(PartitionedTable.RESULT, old);
        assertTrue(partitions.partitions(PartitionedTable.RESULT).contains(name(PartitionedTable.RESULT, old)));
    }

    @Test
    void aFollowerCreatesPartitionsAheadButLeavesRetentionToTheLeader() throws Exception {
        Instant old = Instant.now().minus(Duration.ofDays(60));
        partitions.ensure(PartitionedTable.RESULT, old);
        try (Connection rival = dataSource.getConnection()) {
            takeLeadershipFromTheApp(rival);
            assertFalse(leader.isLeader());
            assertMetricAndHealth(0, false);

            maintenance.run();
            assertTrue(partitions.partitions(PartitionedTable.RESULT).contains(name(PartitionedTable.RESULT, old)),
                    "a follower must not apply retention");
            LocalDate ahead = LocalDate.now(ZoneOffset.UTC).plusDays(3);
            assertTrue(partitions.partitions(PartitionedTable.RESULT).contains(PartitionedTable.RESULT.partitionName(ahead)));

            try (Statement st = rival.createStatement()) {
                st.execute("select pg_advisory_unlock(" + LeaderLock.LOCK_KEY + ")");
            }
        }
        leader.refresh();
        assertTrue(leader.isLeader(), "the app takes the lock back once it is free");
        assertMetricAndHealth(1, true);
        maintenance.run();
        assertFalse(partitions.partitions(PartitionedTable.RESULT).contains(name(PartitionedTable.RESULT, old)),
                "the leader applies retention");
    }

    /** Ends the app's lock session, as a crash of its database connection would, and holds the lock on {@code rival}. */
    private void takeLeadershipFromTheApp(Connection rival) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        try (Statement st = rival.createStatement()) {
            while (true) {
                st.execute("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted"
                        + " and pid <> pg_backend_pid() and ((classid::bigint << 32) | objid::bigint) = " + LeaderLock.LOCK_KEY);
                try (ResultSet rs = st.executeQuery("select pg_try_advisory_lock(" + LeaderLock.LOCK_KEY + ")")) {
                    rs.next();
                    if (rs.getBoolean(1)) break;
                }
                assertTrue(Instant.now().isBefore(deadline), "could not take the leader lock");
                Thread.sleep(100);
            }
        }
        leader.refresh(); // notices its session is gone
        leader.refresh(); // tries again: the rival holds the lock
    }

    private static void assertMetricAndHealth(int gauge, boolean healthLeader) {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("portwatch_collector_leader") && l.endsWith(" " + gauge + ".0")),
                "portwatch_collector_leader " + gauge + " in\n" + metrics.lines().filter(l -> l.contains("leader")).toList());
        Object data = RestAssured.get("/q/health/ready").then().statusCode(200).extract().jsonPath()
                .get("checks.find { it.name == 'leader' }.data.leader");
        assertEquals(healthLeader, data);
    }

    private static String name(PartitionedTable table, Instant at) {
        return table.partitionName(table.start(at));
    }

    private void insertResult(Instant at) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into result (check_id, observed_at, state, reason, healthy, latency_micros)"
                    + " values (-1, '" + at + "', 'OPEN', 'connected', true, 1)");
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
