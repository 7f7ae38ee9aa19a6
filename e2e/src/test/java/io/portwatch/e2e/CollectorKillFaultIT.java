package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 1: the collector is killed with SIGKILL and stays down for two minutes while the agent
 * keeps probing; it is started again on the same embedded PostgreSQL data. Every result of the
 * window must be stored, none twice, with no gap longer than an interval. (AgentCollectorIT does
 * the same for 3 s without the accounting.)
 */
class CollectorKillFaultIT {

    private static final Duration BASELINE = Duration.ofSeconds(15);
    private static final Duration AFTER = Duration.ofSeconds(15);

    @Test
    void aCollectorKilledForTwoMinutesLosesNothingAndStoresNothingTwice() throws Exception {
        Duration outage = FaultRig.outage(Duration.ofMinutes(2));
        FaultReport report = new FaultReport("1 collector SIGKILL " + outage.toSeconds() + " s");
        try (FaultRig rig = new FaultRig("portwatch-fault-collector-kill")) {
            FaultRig.Single s = rig.startSingle();
            Instant from = Instant.now();
            Thread.sleep(BASELINE.toMillis());

            s.collector.kill();
            Instant killed = Instant.now();
            FaultRig.sleepUntil(killed.plus(outage));
            assertTrue(s.agent.alive(), "the agent lives through the outage");
            Instant faultEnd = Instant.now();
            s.restartCollector();

            Optional<Duration> recovery = HistoryAudit.awaitRecovery(s.port, s.ids, from, faultEnd,
                    Duration.ofSeconds(5), FaultRig.STARTUP);
            Thread.sleep(AFTER.toMillis());
            // Results of the last seconds may still be on their way: the window ends before them.
            Instant to = Instant.now().minusSeconds(3);
            HistoryAudit.Audit audit = HistoryAudit.read(s.port, s.ids, from, to, FaultRig.INTERVAL, List.of());
            report.record(audit, recovery, "collector down " + outage.toSeconds() + " s; recovery = restart -> backlog stored");
            audit.assertConsistentWithClock();
            assertTrue(recovery.isPresent(), "the backlog was stored within " + FaultRig.STARTUP.toSeconds() + " s: "
                    + audit.describe() + "\n" + s.collector.tail());
            assertEquals(0, audit.duplicates(), audit.describe());
            assertEquals(0, audit.lost(), audit.describe());
            assertTrue(audit.largestGap().compareTo(FaultRig.INTERVAL.multipliedBy(3).dividedBy(2)) < 0, audit.describe());
        }
    }
}
