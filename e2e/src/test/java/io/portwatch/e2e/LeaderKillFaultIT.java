package io.portwatch.e2e;

import static io.portwatch.e2e.DeployStack.awaitTrue;
import static io.portwatch.e2e.DeployStack.isLeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Fault 7: two collectors on one external PostgreSQL, each with an agent and the same webhook
 * notifier. The open "web" port closes, and the leader is killed with SIGKILL right around the
 * moment its alert fires (the default rule fires on the third unhealthy result, about 2-3 s
 * after the port closes; the kill lands {@code faults.leader-kill-offset-ms}, default 2500 ms,
 * after the close). Whichever replica evaluates it, the FIRING must reach the webhook exactly
 * once. The killed replica is then started again and its agent's backlog must arrive whole.
 */
class LeaderKillFaultIT {

    private static final String HOOK_SECRET = "fault-hook-secret";
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);
    /** How long the test keeps listening after the FIRING, for a second one from either replica. */
    private static final Duration LATE_DUPLICATE_WAIT = Duration.ofSeconds(15);

    @Test
    void theLeaderKilledAsAnAlertFiresNotifiesOnce() throws Exception {
        String offset = System.getProperty("faults.leader-kill-offset-ms", "");
        long offsetMs = offset.isBlank() ? 2500 : Long.parseLong(offset);
        FaultReport report = new FaultReport("7 leader SIGKILL at firing");
        try (FaultRig rig = new FaultRig("portwatch-fault-leader-kill"); ExternalPostgres db = rig.stack.startDatabase();
                WebhookReceiver hook = new WebhookReceiver()) {
            int portA = DeployStack.freePort();
            int portB = DeployStack.freePort();
            Map<String, String> envA = hook.notifierOf(rig.stack.collectorEnv(db, portA), HOOK_SECRET);
            Map<String, String> envB = hook.notifierOf(rig.stack.collectorEnv(db, portB), HOOK_SECRET);
            AppProcess a = rig.startCollector("collector-a", envA);
            AppProcess b = rig.startCollector("collector-b", envB);
            rig.awaitReady(portA, a);
            rig.awaitReady(portB, b);
            AppProcess agentA = rig.startAgent("agent-a", rig.agentEnv("agent-a", portA, rig.spoolDir("agent-a")));
            AppProcess agentB = rig.startAgent("agent-b", rig.agentEnv("agent-b", portB, rig.spoolDir("agent-b")));
            rig.awaitStates(portA, "agent-a", agentA, a);
            rig.awaitStates(portB, "agent-b", agentB, b);
            Map<String, Long> ids = new TreeMap<>(rig.checkIds(portA, "agent-a"));
            ids.putAll(rig.checkIds(portA, "agent-b"));
            // The closed api port fires at start: proof that notifications flow before the fault.
            awaitTrue("api FIRING at the webhook", Duration.ofSeconds(60), () -> !hook.portEvents("FIRING", "api").isEmpty(), a, b);
            Instant from = Instant.now();

            boolean aLeads = isLeader(portA);
            AppProcess leader = aLeads ? a : b;
            int followerPort = aLeads ? portB : portA;
            Instant closed = Instant.now();
            rig.stack.targets.closeOpenTcp();
            FaultRig.sleepUntil(closed.plusMillis(offsetMs));
            leader.kill();
            Instant killed = Instant.now();
            awaitTrue("the follower takes the leadership", TAKEOVER_LIMIT, () -> isLeader(followerPort), a, b);
            Duration takeover = Duration.between(killed, Instant.now());

            awaitTrue("web FIRING at the webhook", Duration.ofSeconds(60), () -> !hook.portEvents("FIRING", "web").isEmpty(), a, b);
            Thread.sleep(LATE_DUPLICATE_WAIT.toMillis());
            List<WebhookReceiver.Delivery> webFirings = hook.portEvents("FIRING", "web");
            List<WebhookReceiver.Delivery> apiFirings = hook.portEvents("FIRING", "api");
            Instant firedAt = webFirings.get(0).receivedAt();
            String sender = firedAt.isBefore(killed) ? "the old leader, before the kill" : "the new leader";

            // The killed replica comes back; its agent's batches of the outage must all arrive.
            Map<String, String> leaderEnv = aLeads ? envA : envB;
            Instant faultEnd = Instant.now();
            AppProcess restarted = rig.startCollector(aLeads ? "collector-a" : "collector-b", leaderEnv);
            int leaderPort = aLeads ? portA : portB;
            rig.awaitReady(leaderPort, restarted);
            Optional<Duration> recovery = HistoryAudit.awaitRecovery(followerPort, ids, from, faultEnd, Duration.ofSeconds(5),
                    FaultRig.STARTUP);
            Thread.sleep(10_000);
            Instant to = Instant.now().minusSeconds(3);
            HistoryAudit.Audit audit = HistoryAudit.read(followerPort, ids, from, to, FaultRig.INTERVAL, List.of());
            report.record(audit, recovery, String.format("web FIRING deliveries %d (want 1), %d ms after the port closed, sent by %s;"
                    + " kill at close+%d ms; takeover %d ms; api FIRING deliveries %d (want 1);"
                    + " recovery = killed replica restarted -> its agent's backlog stored",
                    webFirings.size(), Duration.between(closed, firedAt).toMillis(), sender, offsetMs, takeover.toMillis(),
                    apiFirings.size()));
            assertEquals(1, webFirings.size(), "one FIRING of web: " + webFirings);
            assertEquals(1, apiFirings.size(), "the api alert is not fired again by the new leader: " + apiFirings);
            audit.assertConsistentWithClock();
            assertTrue(recovery.isPresent(), audit.describe());
            assertEquals(0, audit.duplicates(), audit.describe());
            assertEquals(0, audit.lost(), audit.describe());
        }
    }
}
