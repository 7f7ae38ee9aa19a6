import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bench/schedule: the packaged agent with 10,000 check instances at a 10 s interval against
 * loopback targets ({@link BenchTargets}), streaming to a real collector (embedded PostgreSQL in a
 * temp dir). Measures the agent process only, over a window that starts after a warm-up: CPU
 * (utime+stime from /proc), RSS (VmRSS), and from its /q/metrics the schedule lateness histogram
 * (p50/p99 from the buckets) and skipped runs. A bare timer thread ({@link ControlTimer}) measures
 * the machine's own lateness in the same window as the baseline. Started by run.sh.
 */
public class ScheduleBench {

    // Issue 16's targets for an agent as light as the exporters it is compared with.
    static final double TARGET_P99_MS = 20;
    static final double TARGET_CPU_PCT = 12;
    static final double TARGET_RSS_MIB = 80;
    /** Above this load average at the start the machine is too busy for CPU and lateness to mean anything. */
    static final double QUIET_LOAD = 1.5;
    private double loadAtStart;
    /** The shared ingest token of this run's collector and agent (plaintext on loopback; no key is read). */
    private static final String BENCH_INGEST_TOKEN = "bench-schedule-" + java.util.UUID.randomUUID();

    /**
     * The CheckCatalog of 10,000 instances is ~650 KB; gRPC on the collector's HTTP port (Vert.x)
     * refuses messages over 256 KB unless configured (RESOURCE_EXHAUSTED, and the agent reconnects
     * forever).
     */
    static final String UDP_STARTS_PER_SECOND = System.getenv().getOrDefault("UDP_STARTS_PER_SECOND", "200");
    static final String COLLECTOR_MAX_MESSAGE = System.getenv().getOrDefault("COLLECTOR_MAX_MESSAGE", "8388608");

    final Path root;
    final Path work;
    final int durationS;
    final int warmupS;
    final long clockTicks;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ScheduleBench(Path root, Path work, int durationS, int warmupS, long clockTicks) {
        this.root = root;
        this.work = work;
        this.durationS = durationS;
        this.warmupS = warmupS;
        this.clockTicks = clockTicks;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length < 5) {
            System.err.println("usage: ScheduleBench ROOT WORKDIR DURATION_S WARMUP_S CLK_TCK");
            System.exit(2);
        }
        int duration = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        if (duration < 10 || duration > 3600 || warmup < 0 || warmup > 600) {
            System.err.println("DURATION 10-3600 s, WARMUP 0-600 s");
            System.exit(2);
        }
        try {
            System.exit(new ScheduleBench(Path.of(args[0]), Path.of(args[1]), duration, warmup, Long.parseLong(args[4]))
                    .run());
        } catch (IOException | IllegalStateException e) {
            System.err.println("schedule: " + e.getMessage());
            System.exit(2); // a setup problem, not a missed target
        }
    }

    int run() throws Exception {
        loadAtStart = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.printf("load average %.2f at the start: %s%n", loadAtStart, loadAtStart <= QUIET_LOAD
                ? "quiet enough to judge" : "above " + QUIET_LOAD + ", CPU and lateness are noise; this run will not judge");
        try (BenchTargets targets = new BenchTargets()) {
            Path checks = targets.writeChecks(work.resolve("checks.d"));
            System.out.println("targets: " + targets.describe());
            System.out.printf("checks: %s, %d instances every %d s (%d probes/s)%n", checks, BenchTargets.INSTANCES,
                    BenchTargets.INTERVAL_S, BenchTargets.INSTANCES / BenchTargets.INTERVAL_S);
            int collectorPort = freePort();
            int agentPort = freePort();
            Process collector = null;
            Process agent = null;
            try {
                collector = start("collector", List.of("-Xmx256m"), Map.of(
                        "QUARKUS_HTTP_PORT", String.valueOf(collectorPort),
                        "PORTWATCH_DATA_DIR", work.resolve("postgres").toString(),
                        "QUARKUS_GRPC_SERVER_MAX_INBOUND_MESSAGE_SIZE", COLLECTOR_MAX_MESSAGE,
                        "PORTWATCH_INGEST_TOKEN", BENCH_INGEST_TOKEN));
                awaitReady("collector", collector, collectorPort, 180);
                agent = startAgent(Map.of(
                        "QUARKUS_HTTP_PORT", String.valueOf(agentPort),
                        "PORTWATCH_AGENT_ID", "bench-schedule",
                        "PORTWATCH_CHECKS_DIR", checks.toString(),
                        "PORTWATCH_SPOOL_DIR", work.resolve("spool").toString(),
                        "PORTWATCH_COLLECTOR_HOST", "127.0.0.1",
                        "PORTWATCH_COLLECTOR_PORT", String.valueOf(collectorPort),
                        "PORTWATCH_COLLECTOR_TOKEN", BENCH_INGEST_TOKEN,
                        // 2,000 UDP instances on 4 loopback hosts at 10 s are 50 UDP starts/s per
                        // host, over the default pacing of 20/s meant for real hosts' ICMP rate
                        // limits, which loopback does not have.
                        "PORTWATCH_PROBE_UDP_STARTS_PER_SECOND", UDP_STARTS_PER_SECOND));
                awaitReady("agent", agent, agentPort, 60);
                System.out.printf("agent pid %d (%s), collector pid %d; warm-up %d s, then measuring %d s%n",
                        agent.pid(), jvmOptions(agent),
                        collector.pid(), warmupS, durationS);
                Thread.sleep(warmupS * 1000L);
                return measure(agent, agentPort);
            } finally {
                stop(agent);
                stop(collector);
            }
        }
    }

    int measure(Process agent, int agentPort) throws Exception {
        String pid = Long.toString(agent.pid());
        ControlTimer control = new ControlTimer();
        AgentMetrics before = AgentMetrics.parse(get("http://127.0.0.1:" + agentPort + "/q/metrics"));
        long cpu0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        long end = t0 + durationS * 1_000_000_000L;
        long rssMax = 0;
        long rssLast = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (!agent.isAlive()) {
                throw new IllegalStateException("agent exited with " + agent.exitValue() + "; see " + work.resolve("agent.log"));
            }
            rssLast = rssKib(pid);
            rssMax = Math.max(rssMax, rssLast);
        }
        long cpu1 = cpuTicks(pid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        AgentMetrics after = AgentMetrics.parse(get("http://127.0.0.1:" + agentPort + "/q/metrics"));
        double[] machine = control.stop(0.50, 0.99);

        double ticks = after.latenessCount - before.latenessCount;
        double probes = after.probes - before.probes;
        System.out.printf("%nwindow %.0f s: %.0f scheduled runs (expected ~%d), %.0f probe results (%.0f/s), "
                        + "max lateness seen by Micrometer %.1f ms, pending batches %.0f%n",
                seconds, ticks, Math.round(BenchTargets.INSTANCES * seconds / BenchTargets.INTERVAL_S), probes,
                probes / seconds, after.latenessMax * 1e3, after.pendingBatches);
        System.out.printf("probe results by state in the window: %s%n", after.probesByStateSince(before));
        System.out.printf("baseline, this machine right now: a bare timer thread in the benchmark's JVM "
                        + "(1000 ticks/s, no work) was late p50 %.2f ms, p99 %.2f ms; load average %s%n",
                machine[0], machine[1], Files.readString(Path.of("/proc/loadavg")).substring(0, 14).strip());

        System.out.printf("%n%-32s %12s %12s %8s%n", "metric (agent process)", "target", "measured", "ratio");
        boolean pass = true;
        row("schedule lateness p50 (ms)", Double.NaN, AgentMetrics.latenessQuantile(before, after, 0.50) * 1e3);
        pass &= row("schedule lateness p99 (ms)", TARGET_P99_MS, AgentMetrics.latenessQuantile(before, after, 0.99) * 1e3);
        pass &= row("CPU (% of one core)", TARGET_CPU_PCT, 100.0 * (cpu1 - cpu0) / clockTicks / seconds);
        pass &= row("RSS max (MiB)", TARGET_RSS_MIB, rssMax / 1024.0);
        row("RSS at end (MiB)", Double.NaN, rssLast / 1024.0);
        pass &= row("skipped runs", 0, after.skipped - before.skipped);
        if (loadAtStart > QUIET_LOAD) {
            System.out.printf("%nschedule: not judged: load average %.2f at the start, above %.1f%n", loadAtStart, QUIET_LOAD);
            return 2;
        }
        System.out.println(pass ? "\nschedule: all targets met" : "\nschedule: a target was missed");
        return pass ? 0 : 1;
    }

    /** Prints target, measured and measured/target (lower is better); returns whether it is within. */
    static boolean row(String name, double target, double measured) {
        if (Double.isNaN(target)) {
            System.out.printf("%-32s %12s %12.2f%n", name, "-", measured);
            return true;
        }
        boolean ok = target == 0 ? measured == 0 : measured < target;
        System.out.printf("%-32s %12s %12.2f %8s  %s%n", name, target == 0 ? "0" : "< " + Math.round(target), measured,
                target == 0 ? "" : String.format("%.2f", measured / target), ok ? "PASS" : "FAIL");
        return ok;
    }

    String get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** utime + stime of the process (all its threads), in clock ticks. */
    static long cpuTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name may hold spaces
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of proc(5)
    }

    static long rssKib(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    Process start(String app, List<String> jvmOptions, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", root.resolve(app + "/target/quarkus-app/quarkus-run.jar").toString()));
        return launch(app, command, env);
    }

    /**
     * The agent as an operator starts it, `portwatch agent run`: the launcher's JVM options and
     * environment (PORTWATCH_AGENT_JAVA_OPTS, from run.sh's AGENT_JAVA_OPTS, replaces them). The
     * launcher execs java, so the process measured is the agent's JVM.
     */
    Process startAgent(Map<String, String> env) throws IOException {
        return launch("agent", List.of(root.resolve("portwatch").toString(), "agent", "run"), env);
    }

    private Process launch(String app, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(app + ".log").toFile());
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL"); // always the throw-away embedded database
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The JVM options the agent process really has (an argument file expanded), and MALLOC_ARENA_MAX. */
    String jvmOptions(Process agent) throws IOException {
        Path proc = Path.of("/proc", Long.toString(agent.pid()));
        List<String> options = new ArrayList<>();
        for (String arg : Files.readString(proc.resolve("cmdline")).split("\0")) {
            if (arg.equals("-jar")) {
                break;
            }
            if (arg.startsWith("@")) {
                String file = arg.substring(1);
                options.add(arg + " =");
                for (String line : Files.readAllLines(root.resolve(file))) {
                    String option = line.replaceFirst("#.*", "").strip();
                    if (!option.isEmpty()) {
                        options.add(option);
                    }
                }
            } else if (arg.startsWith("-")) {
                options.add(arg);
            }
        }
        String arenas = "unset";
        for (String var : Files.readString(proc.resolve("environ")).split("\0")) {
            if (var.startsWith("MALLOC_ARENA_MAX=")) {
                arenas = var.substring("MALLOC_ARENA_MAX=".length());
            }
        }
        return "JVM options: " + (options.isEmpty() ? "none" : String.join(" ", options)) + "; MALLOC_ARENA_MAX=" + arenas;
    }

    void awaitReady(String name, Process p, int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + work.resolve(name + ".log"));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " not ready within " + seconds + " s; see " + work.resolve(name + ".log"));
    }

    /** SIGTERM, so that Quarkus shuts down cleanly (the collector stops its PostgreSQL). */
    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
