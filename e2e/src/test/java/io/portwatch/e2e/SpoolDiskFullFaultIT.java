package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fault 5: the agent's spool lives on a 1 MiB tmpfs, which a filler file leaves almost full
 * when the collector goes down. The agent must not crash: once a spool write fails it reports
 * degraded ({@code portwatch_agent_spool_degraded} 1, the {@code spool} entry of
 * /q/health/ready not UP), keeps the batches in memory, and delivers them when the collector is
 * back. A loss is allowed only where a bound was exceeded, and then the agent's dropped counter
 * says so. Mounting needs root: the scenario is skipped, saying why, without it.
 */
class SpoolDiskFullFaultIT {

    private static final Duration BASELINE = Duration.ofSeconds(10);
    /** Left free on the tmpfs when the collector goes down: a few seconds of batches, then ENOSPC. */
    private static final long LEFT_FREE = 16 * 1024;
    private static final Duration DEGRADED_LIMIT = Duration.ofSeconds(120);
    private static final Duration AFTER = Duration.ofSeconds(15);

    @Test
    void aFullSpoolDiskDegradesToMemoryAndLosesNothing() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "fault 5 (spool disk full) needs root to mount a 1 MiB tmpfs: skipped");
        Duration outage = FaultRig.outage(Duration.ofSeconds(60));
        FaultReport report = new FaultReport("5 spool disk full");
        try (FaultRig rig = new FaultRig("portwatch-fault-spool-full")) {
            Path tiny = Files.createDirectories(rig.stack.work.resolve("tiny"));
            int mount = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tiny.toString());
            Assumptions.assumeTrue(mount == 0, "fault 5: mount -t tmpfs failed (exit " + mount + "): skipped");
            FaultRig.Single s = null;
            try {
                s = rig.startSingle(tiny.resolve("spool"));
                Instant from = Instant.now();
                Thread.sleep(BASELINE.toMillis());

                s.collector.kill();
                Instant killed = Instant.now();
                long filler = fill(tiny.resolve("filler"));
                FaultRig.Single single = s;
                DeployStack.awaitTrue("portwatch_agent_spool_degraded 1", DEGRADED_LIMIT,
                        () -> FaultRig.agentMetric(single.agentEnv, "portwatch_agent_spool_degraded").orElse(0.0) == 1.0,
                        s.agent);
                Instant degraded = Instant.now();
                String health = FaultRig.agentHealthCheck(s.agentEnv, "spool").orElse("absent");
                FaultRig.sleepUntil(max(killed.plus(outage), degraded.plusSeconds(15)));
                assertTrue(s.agent.alive(), "the agent lives on a full disk\n" + s.agent.tail());
                Instant faultEnd = Instant.now();
                s.restartCollector();

                Optional<Duration> recovery = HistoryAudit.awaitRecovery(s.port, s.ids, from, faultEnd, Duration.ofSeconds(5),
                        FaultRig.STARTUP);
                Thread.sleep(AFTER.toMillis());
                Instant to = Instant.now().minusSeconds(3);
                HistoryAudit.Audit audit = HistoryAudit.read(s.port, s.ids, from, to, FaultRig.INTERVAL, List.of());
                // Either bound may be hit: the spool's bytes, or the in-memory queue it falls back to.
                double dropped = FaultRig.agentMetric(s.agentEnv, "portwatch_agent_spool_dropped_batches_total").orElse(0.0)
                        + FaultRig.agentMetric(s.agentEnv, "portwatch_agent_dropped_batches_total").orElse(0.0);
                report.record(audit, recovery, String.format("collector down %d s; filler %d bytes left %d free;"
                        + " degraded %d ms after the collector went down; spool health %s; dropped batches %.0f;"
                        + " recovery = collector restart -> backlog stored",
                        Duration.between(killed, faultEnd).toSeconds(), filler, LEFT_FREE,
                        Duration.between(killed, degraded).toMillis(), health, dropped));
                audit.assertConsistentWithClock();
                assertTrue(!"UP".equals(health), "the spool health check says the disk failed, not " + health);
                assertTrue(recovery.isPresent(), audit.describe() + "\n" + s.agent.tail());
                assertEquals(0, audit.duplicates(), audit.describe());
                if (dropped <= 0) {
                    assertEquals(0, audit.lost(), "nothing dropped by a bound, so nothing may be lost\n" + audit.describe());
                }
            } finally {
                // The agent holds files on the tmpfs open: it goes first, then the mount.
                if (s != null) s.agent.stop(Duration.ofSeconds(20));
                if (run("umount", tiny.toString()) != 0) run("umount", "-l", tiny.toString());
            }
        }
    }

    /** Fills the file system of {@code file} and gives {@link #LEFT_FREE} bytes back; returns the filler's size. */
    private static long fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(chunk);
        } catch (IOException full) {
            // ENOSPC: the disk is full
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = Math.max(0, ch.size() - LEFT_FREE);
            ch.truncate(size);
            return size;
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
