import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.agent.spool.FsyncPolicy;
import io.portwatch.agent.spool.Spool;
import io.portwatch.agent.transport.BatchAssembler;
import io.portwatch.core.check.PortState;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What each fsync policy of the agent's spool costs at a given probe rate: results go through the
 * agent's own BatchAssembler (cut at max-batch-size, or every flush interval as the agent's timer
 * does) into a Spool on disk; the baseline is the same run into a memory-only spool (what the
 * agent did before the spool). Per policy: the time each result's add held the caller (it
 * journals the result; the probe path waits for it), the time each batch's append held it, the
 * process CPU per result above the baseline, and the bytes the process wrote (/proc/self/io). Then a ceiling: batches appended back to back for 5 s.
 *
 * Args: DIR RATE SECONDS BATCH FLUSH_MS ROUNDS
 */
public class SpoolBench {

    record Run(String name, long results, long batches, double cpuUsPerResult, long[] addNanos, long[] appendNanos,
            long writeBytes) {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int flushMs = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        System.out.printf("spool: %d results/s for %d s per run, batches of up to %d, flush every %d ms, %d rounds"
                + " (baseline and policies alternate)%n", rate, seconds, batch, flushMs, rounds);
        List<List<Run>> all = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Run> round = new ArrayList<>();
            round.add(run("memory (baseline)", null, dir, rate, seconds, batch, flushMs));
            for (FsyncPolicy p : FsyncPolicy.values()) {
                round.add(run("disk, fsync " + p.name().toLowerCase(), p, dir.resolve("r" + r + "-" + p), rate, seconds,
                        batch, flushMs));
            }
            all.add(round);
        }
        System.out.printf("%n%-20s %8s %8s %10s %10s %12s %12s %12s %11s %12s %10s%n", "run", "results", "batches",
                "add p50", "add p99", "append p50", "append p99", "append max", "CPU us/res", "vs baseline",
                "MB written");
        for (int r = 0; r < rounds; r++) {
            double base = all.get(r).get(0).cpuUsPerResult();
            for (Run run : all.get(r)) {
                long[] a = run.appendNanos();
                Arrays.sort(a);
                long[] add = run.addNanos();
                Arrays.sort(add);
                System.out.printf("%-20s %8d %8d %8.1fus %8.1fus %10.3fms %10.3fms %10.3fms %11.2f %+12.2f %10.1f%n",
                        run.name(), run.results(), run.batches(), pct(add, 50) / 1e3, pct(add, 99) / 1e3,
                        pct(a, 50) / 1e6, pct(a, 99) / 1e6,
                        a.length == 0 ? 0 : a[a.length - 1] / 1e6, run.cpuUsPerResult(), run.cpuUsPerResult() - base,
                        run.writeBytes() / 1e6);
            }
        }
        System.out.printf("%nceiling: %d-result batches appended back to back for 5 s%n", batch);
        for (FsyncPolicy p : FsyncPolicy.values()) {
            ceiling(p, dir.resolve("ceiling-" + p), batch);
        }
    }

    static Run run(String name, FsyncPolicy policy, Path dir, int rate, int seconds, int batchSize, int flushMs)
            throws Exception {
        Spool spool = Spool.open(options(policy, dir), Clock.systemUTC());
        List<Long> appends = new ArrayList<>();
        AtomicLong batches = new AtomicLong();
        BatchAssembler assembler = new BatchAssembler(batchSize, () -> 1, spool::journal, b -> {
            long t0 = System.nanoTime();
            spool.append(b);
            appends.add(System.nanoTime() - t0);
            batches.incrementAndGet();
            spool.ack(b.getSeq() - 1); // a collector that keeps up acks the one before
        });
        ProbeResult[] samples = samples();
        System.gc();
        long cpu0 = cpuNanos();
        long io0 = writeBytes();
        long start = System.nanoTime();
        long results = 0;
        long nextFlush = start + flushMs * 1_000_000L;
        long total = (long) rate * seconds;
        long[] adds = new long[(int) total];
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String key = "bench|10.0.0." + (i % 200) + "|tcp|" + (1 + i % 1000);
            long a0 = System.nanoTime();
            assembler.add(key, samples[(int) (i % samples.length)]);
            adds[(int) i] = System.nanoTime() - a0;
            results++;
            if (System.nanoTime() - nextFlush >= 0) {
                assembler.flush();
                spool.tick();
                nextFlush += flushMs * 1_000_000L;
            }
        }
        assembler.flush();
        spool.tick();
        long cpu = cpuNanos() - cpu0;
        long io = writeBytes() - io0;
        spool.close();
        deleteTree(dir);
        long[] a = appends.stream().mapToLong(Long::longValue).toArray();
        Run run = new Run(name, results, batches.get(), cpu / 1000.0 / results, adds, a, io);
        System.out.printf("  %-20s done: %d results in %d batches, load average %s%n", name, results, batches.get(),
                loadAverage());
        return run;
    }

    static void ceiling(FsyncPolicy policy, Path dir, int batchSize) throws Exception {
        Spool spool = Spool.open(options(policy, dir), Clock.systemUTC());
        List<io.portwatch.proto.v1.ResultBatch> made = new ArrayList<>();
        BatchAssembler assembler = new BatchAssembler(batchSize, () -> 1, r -> { }, made::add);
        ProbeResult[] samples = samples();
        for (int i = 0; i < batchSize; i++) {
            assembler.add("bench|10.0.0." + (i % 200) + "|tcp|" + (1 + i % 1000), samples[i % samples.length]);
        }
        io.portwatch.proto.v1.ResultBatch template = made.get(0);
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - start < 5_000_000_000L && n < 1_000_000) {
            n++;
            spool.append(template.toBuilder().setSeq(n).build());
            spool.ack(n - 1);
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("  fsync %-9s %8.0f batches/s = %10.0f results/s (%d bytes a batch)%n",
                policy.name().toLowerCase(), n / s, n * batchSize / s, template.getSerializedSize());
        spool.close();
        deleteTree(dir);
    }

    static Spool.Options options(FsyncPolicy policy, Path dir) {
        if (policy == null) {
            return Spool.Options.memoryOnly(1L << 30);
        }
        return new Spool.Options(Optional.of(dir), "bench", 256L << 20, 8L << 20, policy, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 4L << 20);
    }

    static ProbeResult[] samples() {
        Instant now = Instant.now();
        return new ProbeResult[] {
            new ProbeResult(PortState.OPEN, ProbeReason.CONNECTED, new InetSocketAddress("10.0.0.1", 443),
                    Duration.ofNanos(250_000), now, ""),
            new ProbeResult(PortState.CLOSED, ProbeReason.REFUSED, new InetSocketAddress("10.0.0.2", 8080),
                    Duration.ofNanos(180_000), now, ""),
            new ProbeResult(PortState.FILTERED, ProbeReason.TIMEOUT, new InetSocketAddress("10.0.0.3", 22),
                    Duration.ofSeconds(2), now, "no answer within 2s"),
        };
    }

    static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long writeBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        return 0;
    }

    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
