package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 2: the external PostgreSQL (a real server process this test started) is stopped for 60 s
 * and started again on the same data and port. The collector must stay up, leave the agent's
 * batches unacknowledged meanwhile (the agent holds them), and catch up by itself once the
 * database is back: everything stored, nothing twice.
 */
class DatabaseStopFaultIT {

    private static final String AGENT = "agent-a";
    private static final Duration BASELINE = Duration.ofSeconds(15);
    private static final Duration AFTER = Duration.ofSeconds(15);

    @Test
    void aDatabaseStoppedForAMinuteCostsNothing() throws Exception {
        Duration outage = FaultRig.outage(Duration.ofSeconds(60));
        FaultReport report = new FaultReport("2 PostgreSQL stopped " + outage.toSeconds() + " s");
        try (FaultRig rig = new FaultRig("portwatch-fault-db-stop"); ExternalPostgres db = rig.stack.startDatabase()) {
            int port = DeployStack.freePort();
            AppProcess collector = rig.startCollector("collector", rig.stack.collectorEnv(db, port));
            rig.awaitReady(port, collector);
            AppProcess agent = rig.startAgent(AGENT, rig.agentEnv(AGENT, port, rig.spoolDir(AGENT)));
            rig.awaitStates(port, AGENT, agent, collector);
            Map<String, Long> ids = rig.checkIds(port, AGENT);
            Instant from = Instant.now();
            Thread.sleep(BASELINE.toMillis());

            db.stop();
            Instant stopped = Instant.now();
            // Readiness is what a load balancer sees; record what it said during the outage.
            Thread.sleep(Math.min(10_000, outage.toMillis() / 2));
            boolean readyWhileDown = DeployStack.ready(port);
            FaultRig.sleepUntil(stopped.plus(outage));
            assertTrue(collector.alive(), "the collector lives through the database outage\n" + collector.tail());
            assertTrue(agent.alive(), "the agent lives through the database outage");
            Instant faultEnd = Instant.now();
            db.restart();

            Optional<Duration> recovery = HistoryAudit.awaitRecovery(port, ids, from, faultEnd, Duration.ofSeconds(5),
                    FaultRig.STARTUP);
            Thread.sleep(AFTER.toMillis());
            Instant to = Instant.now().minusSeconds(3);
            HistoryAudit.Audit audit = HistoryAudit.read(port, ids, from, to, FaultRig.INTERVAL, List.of());
            long twiceInDb = db.queryLong("select count(*) from (select check_id, observed_at from result"
                    + " group by check_id, observed_at having count(*) > 1) twice");
            report.record(audit, recovery, "database down " + outage.toSeconds() + " s; collector ready while down: "
                    + readyWhileDown + "; duplicates by SQL over all rows: " + twiceInDb);
            audit.assertConsistentWithClock();
            assertTrue(recovery.isPresent(), "caught up after the database came back: " + audit.describe() + "\n" + collector.tail());
            assertEquals(0, twiceInDb, "rows stored twice (SQL)");
            assertEquals(0, audit.duplicates(), audit.describe());
            assertEquals(0, audit.lost(), audit.describe());
            assertTrue(audit.largestGap().compareTo(FaultRig.INTERVAL.multipliedBy(3).dividedBy(2)) < 0, audit.describe());
        }
    }
}
