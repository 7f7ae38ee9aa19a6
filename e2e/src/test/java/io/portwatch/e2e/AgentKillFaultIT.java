package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 4: the agent is killed with SIGKILL while the collector is up, and started again 3 s
 * later on the same spool. Every result is journaled in the spool as it arrives, batches already
 * cut are re-sent, and the rest is cut into a batch first after the restart: what can be lost is
 * only a probe in flight at the kill ({@link FaultRig#IN_FLIGHT}). The audit counts it: lost is
 * what the agent probed and never delivered (and must lie just before the kill), not probed is
 * the time no agent ran. The largest gap is about one interval plus the restart.
 */
class AgentKillFaultIT {

    private static final Duration BASELINE = Duration.ofSeconds(15);
    private static final Duration AGENT_DOWN = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(15);

    @Test
    void anAgentKilledLosesAtMostWhatWasNotCutIntoABatch() throws Exception {
        FaultReport report = new FaultReport("4 agent SIGKILL, collector up");
        try (FaultRig rig = new FaultRig("portwatch-fault-agent-kill")) {
            FaultRig.Single s = rig.startSingle();
            Instant from = Instant.now();
            Thread.sleep(BASELINE.toMillis());

            s.agent.kill();
            Instant killed = Instant.now();
            FaultRig.sleepUntil(killed.plus(AGENT_DOWN));
            Instant faultEnd = Instant.now();
            s.restartAgent();

            Optional<Duration> recovery = HistoryAudit.awaitRecovery(s.port, s.ids, from, faultEnd, Duration.ofSeconds(5),
                    FaultRig.STARTUP);
            Thread.sleep(AFTER.toMillis());
            Instant to = Instant.now().minusSeconds(3);
            HistoryAudit.Downtime down = HistoryAudit.agentDowntime(s.port, s.ids, killed);
            HistoryAudit.Audit audit = HistoryAudit.read(s.port, s.ids, from, to, FaultRig.INTERVAL, List.of(down));
            report.record(audit, recovery, String.format("agent killed at %s, dead %d ms (kill -> first probe of the restarted"
                    + " agent); lost allowed only in the %d ms before the kill (a probe in flight);"
                    + " recovery = agent restart -> first new result of every check",
                    killed, Duration.between(down.from(), down.to()).toMillis(), FaultRig.IN_FLIGHT.toMillis()));
            audit.assertConsistentWithClock();
            assertTrue(recovery.isPresent(), audit.describe() + "\n" + s.agent.tail());
            assertEquals(0, audit.duplicates(), audit.describe());
            audit.assertLostOnlyJustBefore(killed, FaultRig.IN_FLIGHT);
        }
    }
}
