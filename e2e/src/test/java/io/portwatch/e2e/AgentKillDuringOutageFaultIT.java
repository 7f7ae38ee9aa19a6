package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 3, the loss issue #14 reported (70 % stored, a 35 s hole): the collector is down for
 * 60 s, and 20 s into that outage the agent is killed with SIGKILL and started again 5 s later
 * on the same spool directory. Everything the agent probed must be stored once the collector is
 * back: the 20 s of results it held are in the spool and re-sent after the restart, ahead of the
 * new ones. What it may lose is what fault 4 allows, a probe in flight at the kill
 * ({@link FaultRig#IN_FLIGHT}); the ticks while no agent process ran are counted as not probed.
 */
class AgentKillDuringOutageFaultIT {

    private static final Duration BASELINE = Duration.ofSeconds(15);
    private static final Duration AGENT_KILL_AFTER = Duration.ofSeconds(20);
    private static final Duration AGENT_DOWN = Duration.ofSeconds(5);
    private static final Duration AFTER = Duration.ofSeconds(15);

    @Test
    void anAgentKilledWhileTheCollectorIsDownLosesNothingItProbed() throws Exception {
        Duration outage = FaultRig.outage(Duration.ofSeconds(60));
        FaultReport report = new FaultReport("3 agent SIGKILL in collector outage");
        try (FaultRig rig = new FaultRig("portwatch-fault-agent-kill-outage")) {
            FaultRig.Single s = rig.startSingle();
            Instant from = Instant.now();
            Thread.sleep(BASELINE.toMillis());

            s.collector.kill();
            Instant collectorKilled = Instant.now();
            FaultRig.sleepUntil(collectorKilled.plus(AGENT_KILL_AFTER));
            s.agent.kill();
            Instant agentKilled = Instant.now();
            FaultRig.sleepUntil(agentKilled.plus(AGENT_DOWN));
            s.restartAgent();
            Instant agentRestarted = Instant.now();
            FaultRig.sleepUntil(collectorKilled.plus(outage));
            assertTrue(s.agent.alive(), "the restarted agent runs\n" + s.agent.tail());
            Instant faultEnd = Instant.now();
            s.restartCollector();

            Optional<Duration> recovery = HistoryAudit.awaitRecovery(s.port, s.ids, from, faultEnd, Duration.ofSeconds(5),
                    FaultRig.STARTUP);
            Thread.sleep(AFTER.toMillis());
            Instant to = Instant.now().minusSeconds(3);
            HistoryAudit.Downtime down = HistoryAudit.agentDowntime(s.port, s.ids, agentKilled);
            HistoryAudit.Audit audit = HistoryAudit.read(s.port, s.ids, from, to, FaultRig.INTERVAL, List.of(down));
            Duration notProbing = Duration.between(down.from(), down.to());
            report.record(audit, recovery, String.format("collector down %d s; agent killed at %s, dead %d ms (kill -> first probe,"
                    + " restart launched after %d ms); lost allowed only in the 1 s before the kill (a probe in flight);"
                    + " recovery = collector restart -> backlog stored",
                    outage.toSeconds(), agentKilled, notProbing.toMillis(), Duration.between(agentKilled, agentRestarted).toMillis()));
            audit.assertConsistentWithClock();
            // The agent process starts in a few seconds: a longer "dead" span means its first results went missing.
            assertTrue(notProbing.compareTo(AGENT_DOWN.plusSeconds(20)) < 0, "the agent probed again " + notProbing + " after the kill");
            assertTrue(recovery.isPresent(), audit.describe() + "\n" + s.collector.tail());
            assertEquals(0, audit.duplicates(), audit.describe());
            audit.assertLostOnlyJustBefore(agentKilled, FaultRig.IN_FLIGHT);
        }
    }
}
