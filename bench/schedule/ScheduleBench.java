import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * bench/schedule: the packaged agent with 10,000 check instances at a 10 s interval against
 * loopback targets, streaming to a real collector (embedded PostgreSQL in a temp dir). Measures
 * the agent process only: CPU (utime+stime from /proc), RSS (VmRSS), and from its /q/metrics the
 * schedule lateness histogram (p50/p99 estimated from the buckets) and skipped runs, all over a
 * window that starts after a warm-up. Started by run.sh.
 *
 * <p>Targets, held by this process on 127.0.0.1-127.0.0.4 only: 6 TCP listeners (accept, close),
 * 2 TCP ports bound but not listening (refused) and 2 UDP echo responders per address, all below
 * 32768. Instances: 250 x (check "svc-N": 4 targets x 6 TCP + 2 UDP ports, and check "closed-N":
 * 4 targets x 2 TCP ports, expect closed) = 10,000.
 */
public class ScheduleBench {

    static final int ADDRESSES = 4;
    static final int OPEN_TCP = 6;
    static final int CLOSED_TCP = 2;
    static final int ECHO_UDP = 2;
    static final int PORTS = OPEN_TCP + CLOSED_TCP + ECHO_UDP;
    static final int UNITS = 250;
    static final int INSTANCES = UNITS * ADDRESSES * PORTS;
    static final int INTERVAL_S = 10;

    static final String COLLECTOR_MAX_MESSAGE = System.getenv().getOrDefault("COLLECTOR_MAX_MESSAGE", "8388608");

    static final double TARGET_P99_MS = 50;
    static final double TARGET_CPU_PCT = 25;
    static final double TARGET_RSS_MIB = 128;

    final Path work;
    final Path root;
    final int durationS;
    final int warmupS;
    final List<String> agentJvmOptions;
    final long clockTicks;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<NetworkChannel> held = new ArrayList<>();
    int base;

    ScheduleBench(Path root, Path work, int durationS, int warmupS, List<String> agentJvmOptions, long clockTicks) {
        this.root = root;
        this.work = work;
        this.durationS = durationS;
        this.warmupS = warmupS;
        this.agentJvmOptions = agentJvmOptions;
        this.clockTicks = clockTicks;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length < 5) {
            System.err.println("usage: ScheduleBench ROOT WORKDIR DURATION_S WARMUP_S CLK_TCK [AGENT_JVM_OPTION...]");
            System.exit(2);
        }
        int duration = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        if (duration < 10 || duration > 3600 || warmup < 0 || warmup > 600) {
            System.err.println("DURATION 10-3600 s, WARMUP 0-600 s");
            System.exit(2);
        }
        List<String> jvm = List.of(args).subList(5, args.length);
        System.exit(new ScheduleBench(Path.of(args[0]), Path.of(args[1]), duration, warmup, jvm,
                Long.parseLong(args[4])).run());
    }

    int run() throws Exception {
        Selector selector = openTargets();
        Thread serving = new Thread(() -> serve(selector), "bench-targets");
        serving.setDaemon(true);
        serving.start();
        Path checks = writeChecks();
        System.out.printf("targets: 127.0.0.1-127.0.0.%d, tcp/%d-%d open, tcp/%d-%d closed, udp/%d-%d echo%n",
                ADDRESSES, base, base + OPEN_TCP - 1, base + OPEN_TCP, base + OPEN_TCP + CLOSED_TCP - 1,
                base + OPEN_TCP + CLOSED_TCP, base + PORTS - 1);
        System.out.printf("checks: %s, %d instances every %d s (%d probes/s)%n", checks, INSTANCES, INTERVAL_S,
                INSTANCES / INTERVAL_S);

        int collectorPort = freePort();
        int agentPort = freePort();
        Process collector = null;
        Process agent = null;
        try {
            collector = start("collector", List.of("-Xmx256m"), Map.of(
                    "QUARKUS_HTTP_PORT", String.valueOf(collectorPort),
                    "PORTWATCH_DATA_DIR", work.resolve("postgres").toString(),
                    // The CheckCatalog of 10,000 instances is ~650 KB; gRPC on the HTTP port
                    // (Vert.x) refuses messages over 256 KB unless told otherwise: RESOURCE_EXHAUSTED.
                    "QUARKUS_GRPC_SERVER_MAX_INBOUND_MESSAGE_SIZE", COLLECTOR_MAX_MESSAGE));
            awaitReady("collector", collector, collectorPort, 180);
            agent = start("agent", agentJvmOptions, Map.of(
                    "QUARKUS_HTTP_PORT", String.valueOf(agentPort),
                    "PORTWATCH_AGENT_ID", "bench-schedule",
                    "PORTWATCH_CHECKS_DIR", checks.toString(),
                    "PORTWATCH_COLLECTOR_HOST", "127.0.0.1",
                    "PORTWATCH_COLLECTOR_PORT", String.valueOf(collectorPort)));
            awaitReady("agent", agent, agentPort, 60);
            System.out.printf("agent pid %d (JVM options: %s), collector pid %d; warm-up %d s, then measuring %d s%n",
                    agent.pid(), agentJvmOptions.isEmpty() ? "none" : String.join(" ", agentJvmOptions),
                    collector.pid(), warmupS, durationS);
            Thread.sleep(warmupS * 1000L);
            return measure(agent, agentPort);
        } finally {
            stop(agent);
            stop(collector);
            selector.close();
            held.forEach(ScheduleBench::closeQuietly);
        }
    }

    int measure(Process agent, int agentPort) throws Exception {
        String pid = Long.toString(agent.pid());
        ControlTimer control = new ControlTimer();
        Metrics before = metrics(agentPort);
        long cpu0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        long rssMax = 0;
        List<Long> rssSamples = new ArrayList<>();
        long end = t0 + durationS * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (!agent.isAlive()) {
                throw new IllegalStateException("agent exited with " + agent.exitValue() + "; see " + work.resolve("agent.log"));
            }
            long rss = rssKib(pid);
            rssSamples.add(rss);
            rssMax = Math.max(rssMax, rss);
        }
        long cpu1 = cpuTicks(pid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Metrics after = metrics(agentPort);
        double[] controlLateness = control.stop();

        double cpuPct = 100.0 * (cpu1 - cpu0) / clockTicks / seconds;
        double rssMib = rssMax / 1024.0;
        double rssLastMib = rssSamples.get(rssSamples.size() - 1) / 1024.0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        after.buckets.forEach((le, n) -> buckets.put(le, n - before.buckets.getOrDefault(le, 0.0)));
        double ticks = after.latenessCount - before.latenessCount;
        double p50 = percentile(buckets, ticks, 0.50) * 1e3;
        double p99 = percentile(buckets, ticks, 0.99) * 1e3;
        double skipped = after.skipped - before.skipped;
        double probes = after.probes - before.probes;

        System.out.printf("%nwindow %.0f s: %.0f scheduled runs (expected ~%d), %.0f probe results (%.0f/s), "
                        + "max lateness seen by Micrometer %.1f ms, pending batches %.0f%n",
                seconds, ticks, Math.round(INSTANCES * seconds / INTERVAL_S), probes, probes / seconds,
                after.latenessMax * 1e3, after.pendingBatches);
        System.out.printf("probe results by state in the window: %s%n", after.byStateMinus(before));
        System.out.printf("baseline, this machine right now: a bare timer thread in the benchmark's JVM "
                        + "(1000 ticks/s, no work) was late p50 %.2f ms, p99 %.2f ms; load average %s%n",
                percentile(controlLateness, 0.50), percentile(controlLateness, 0.99), loadAverage());
        System.out.printf("%n%-32s %12s %12s %8s%n", "metric (agent process)", "target", "measured", "ratio");
        boolean pass = true;
        pass &= row("schedule lateness p50 (ms)", Double.NaN, p50, true);
        pass &= row("schedule lateness p99 (ms)", TARGET_P99_MS, p99, true);
        pass &= row("CPU (% of one core)", TARGET_CPU_PCT, cpuPct, true);
        pass &= row("RSS max (MiB)", TARGET_RSS_MIB, rssMib, true);
        row("RSS at end (MiB)", Double.NaN, rssLastMib, true);
        pass &= row("skipped runs", 0, skipped, true);
        System.out.println(pass ? "\nschedule: all targets met" : "\nschedule: a target was missed");
        return pass ? 0 : 1;
    }

    /** Prints target, measured and measured/target; returns whether measured is within the target. */
    static boolean row(String name, double target, double measured, boolean lowerIsBetter) {
        if (Double.isNaN(target)) {
            System.out.printf("%-32s %12s %12.2f %8s%n", name, "-", measured, "");
            return true;
        }
        boolean ok = target == 0 ? measured == 0 : (lowerIsBetter ? measured < target : measured > target);
        String ratio = target == 0 ? "" : String.format("%.2f", measured / target);
        System.out.printf("%-32s %12s %12.2f %8s  %s%n", name, (target == 0 ? "0" : "< " + fmt(target)), measured,
                ratio, ok ? "PASS" : "FAIL");
        return ok;
    }

    static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * The q-quantile from cumulative bucket counts (upper bound le -> count of values <= le),
     * interpolated linearly inside the bucket where it falls, as Prometheus' histogram_quantile does.
     */
    static double percentile(TreeMap<Double, Double> cumulative, double total, double q) {
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound; // above the largest finite bucket: all that is known
                }
                double inBucket = e.getValue() - lowerCount;
                return lowerBound + (e.getKey() - lowerBound) * (inBucket == 0 ? 1 : (rank - lowerCount) / inBucket);
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    /**
     * The environment's share of lateness: 100 periodic tasks at 100 ms (1000 ticks/s, as the
     * agent's 10,000 at 10 s) on one timer thread doing nothing else, timed like the agent's
     * scheduler (wall clock against the planned time, in ms). On a quiet machine this is ~0; on a
     * shared one it shows how long a runnable thread waits for a core.
     */
    static final class ControlTimer {
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final List<Long> lateMs = java.util.Collections.synchronizedList(new ArrayList<>());

        ControlTimer() {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 100; i++) {
                long[] planned = {now + 100 + i};
                timer.scheduleAtFixedRate(() -> {
                    lateMs.add(Math.max(0, System.currentTimeMillis() - planned[0]));
                    planned[0] += 100;
                }, planned[0] - System.currentTimeMillis(), 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        double[] stop() {
            timer.shutdownNow();
            synchronized (lateMs) {
                return lateMs.stream().mapToDouble(Long::doubleValue).toArray();
            }
        }
    }

    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    // ---- the agent's /q/metrics ---------------------------------------------------------------

    static final class Metrics {
        final TreeMap<Double, Double> buckets = new TreeMap<>();
        final Map<String, Double> byState = new TreeMap<>();
        double latenessCount;
        double latenessMax;
        double skipped;
        double probes;
        double pendingBatches;

        String byStateMinus(Metrics before) {
            return byState.entrySet().stream()
                    .map(e -> e.getKey() + "=" + Math.round(e.getValue() - before.byState.getOrDefault(e.getKey(), 0.0)))
                    .collect(Collectors.joining(", "));
        }
    }

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");
    static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    Metrics metrics(int port) throws IOException, InterruptedException {
        String text = get("http://127.0.0.1:" + port + "/q/metrics");
        Metrics m = new Metrics();
        for (String line : text.split("\n")) {
            Matcher s = SAMPLE.matcher(line);
            if (line.startsWith("#") || !s.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (s.group(3) != null) {
                Matcher l = LABEL.matcher(s.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            double value = Double.parseDouble(s.group(4));
            switch (s.group(1)) {
                case "portwatch_agent_schedule_lateness_seconds_bucket" ->
                        m.buckets.put(labels.get("le").equals("+Inf") ? Double.POSITIVE_INFINITY
                                : Double.parseDouble(labels.get("le")), value);
                case "portwatch_agent_schedule_lateness_seconds_count" -> m.latenessCount = value;
                case "portwatch_agent_schedule_lateness_seconds_max" -> m.latenessMax = value;
                case "portwatch_agent_schedule_skipped_total" -> m.skipped = value;
                case "portwatch_agent_pending_batches" -> m.pendingBatches = value;
                case "portwatch_agent_probes_total" -> {
                    m.probes += value;
                    m.byState.merge(labels.getOrDefault("proto", "?") + "/" + labels.getOrDefault("state", "?"),
                            value, Double::sum);
                }
                default -> { }
            }
        }
        if (m.buckets.isEmpty()) {
            throw new IllegalStateException("no portwatch_agent_schedule_lateness_seconds buckets in /q/metrics");
        }
        return m;
    }

    String get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    // ---- /proc ---------------------------------------------------------------------------------

    /** utime + stime of the process (all its threads), in clock ticks. */
    static long cpuTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // the name may hold spaces
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of stat(5)
    }

    static long rssKib(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    // ---- processes -------------------------------------------------------------------------------

    Process start(String app, List<String> jvmOptions, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", root.resolve(app + "/target/quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(app + ".log").toFile());
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().putAll(env);
        return pb.start();
    }

    void awaitReady(String name, Process p, int port, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + work.resolve(name + ".log"));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " not ready within " + seconds + " s; see " + work.resolve(name + ".log"));
    }

    static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM: Quarkus shuts down cleanly (the collector stops its PostgreSQL)
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    // ---- loopback targets ------------------------------------------------------------------------

    /** Binds every target port on every address, from the first block in 24000-32767 where all are free. */
    Selector openTargets() throws IOException {
        for (base = 24_000; base + PORTS <= 32_768; base += PORTS) {
            Selector selector = Selector.open();
            try {
                for (int a = 1; a <= ADDRESSES; a++) {
                    InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) a});
                    for (int i = 0; i < PORTS; i++) {
                        InetSocketAddress at = new InetSocketAddress(address, base + i);
                        if (i < OPEN_TCP) {
                            ServerSocketChannel s = hold(ServerSocketChannel.open());
                            s.bind(at, 1024);
                            s.configureBlocking(false);
                            s.register(selector, SelectionKey.OP_ACCEPT);
                        } else if (i < OPEN_TCP + CLOSED_TCP) {
                            hold(SocketChannel.open()).bind(at); // bound, never listening: refused
                        } else {
                            DatagramChannel d = hold(DatagramChannel.open());
                            d.bind(at);
                            d.configureBlocking(false);
                            d.register(selector, SelectionKey.OP_READ);
                        }
                    }
                }
                return selector;
            } catch (IOException busy) {
                selector.close();
                held.forEach(ScheduleBench::closeQuietly);
                held.clear();
            }
        }
        throw new IllegalStateException("no block of " + PORTS + " free ports in 24000-32767 on 127.0.0.1-4");
    }

    private <C extends NetworkChannel> C hold(C channel) {
        held.add(channel);
        return channel;
    }

    /** Accepts and closes TCP connections, echoes UDP datagrams, until the selector is closed. */
    static void serve(Selector selector) {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.channel() instanceof ServerSocketChannel server) {
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            c.close();
                        }
                    } else if (key.channel() instanceof DatagramChannel d) {
                        buffer.clear();
                        var from = d.receive(buffer);
                        if (from != null) {
                            buffer.flip();
                            d.send(buffer, from);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException end) {
            // closed at the end of the run
        }
    }

    Path writeChecks() throws IOException {
        Path dir = Files.createDirectories(work.resolve("checks.d"));
        String targets = IntStream.rangeClosed(1, ADDRESSES).mapToObj(a -> "127.0.0." + a)
                .collect(Collectors.joining(", ", "[", "]"));
        String open = ports(0, OPEN_TCP);
        String closed = ports(OPEN_TCP, CLOSED_TCP);
        String udp = ports(OPEN_TCP + CLOSED_TCP, ECHO_UDP);
        int perFile = 25;
        for (int f = 0; f < UNITS / perFile; f++) {
            StringBuilder yaml = new StringBuilder("defaults:\n  interval: " + INTERVAL_S + "s\n  timeout: 2s\nchecks:\n");
            for (int u = f * perFile; u < (f + 1) * perFile; u++) {
                yaml.append(String.format("  - name: svc-%03d%n    targets: %s%n    tcp: %s%n    udp: %s%n", u, targets, open, udp));
                yaml.append(String.format("  - name: closed-%03d%n    targets: %s%n    tcp: %s%n    expect: closed%n",
                        u, targets, closed));
            }
            Files.writeString(dir.resolve(String.format("bench-%02d.yaml", f)), yaml);
        }
        return dir;
    }

    private String ports(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> Integer.toString(base + i))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // ending the run
        }
    }
}
