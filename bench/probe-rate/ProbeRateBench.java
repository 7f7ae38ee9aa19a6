import io.portwatch.agent.probe.ConnectPath;
import io.portwatch.agent.probe.ProbeEngine;
import io.portwatch.agent.probe.ProbeLimits;
import io.portwatch.agent.probe.ProbeRequest;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.core.check.PortState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/probe-rate: the agent's ProbeEngine against a C epoll prober (cprobe.c) and nmap -sT, on
 * the same loopback targets, in one run. Started by run.sh (java source launcher, the agent's
 * packaged classes on the class path).
 *
 * <p>Targets are held by {@code cprobe serve}: SCAN_PORTS listening ports (accept, close) and as
 * many ports bound but not listening (refused), all in 10000-32767 so that no connect can land on
 * itself. Traffic goes to 127.0.0.1 only, to those ports only.
 *
 * <p>Rates: N connects to one open and one closed port, 128 in flight, best-of and median of
 * ROUNDS rounds that interleave C and the engine (the machine is shared; interleaving spreads
 * noise evenly). Scans: every SCAN_PORTS port once, nmap's wall time against the engine's.
 */
public class ProbeRateBench {

    static final int IN_FLIGHT = 128;
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Issue 16's target: the engine at no less than 0.8 of the C prober, open and refused alike. */
    static final double TARGET_RATIO = 0.8;
    /** Above this load average at the start, a ratio is noise: the run prints its numbers and does not judge. */
    static final double QUIET_LOAD = 1.5;

    final String cprobe;
    final int n;
    final int rounds;
    final int scanPorts;
    int base;

    ProbeRateBench(String cprobe, int n, int rounds, int scanPorts) {
        this.cprobe = cprobe;
        this.n = n;
        this.rounds = rounds;
        this.scanPorts = scanPorts;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ProbeRateBench CPROBE N ROUNDS SCAN_PORTS");
            System.exit(2);
        }
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int scanPorts = Integer.parseInt(args[3]);
        if (n < 1000 || n > 200_000 || rounds < 1 || rounds > 9 || scanPorts < 1 || scanPorts > 5000) {
            System.err.println("N 1000-200000, ROUNDS 1-9, SCAN_PORTS 1-5000");
            System.exit(2);
        }
        System.exit(new ProbeRateBench(args[0], n, rounds, scanPorts).run());
    }

    int run() throws Exception {
        double loadAtStart = loadAverage();
        boolean quiet = loadAtStart <= QUIET_LOAD;
        System.out.printf("load average %.2f at the start: %s%n", loadAtStart,
                quiet ? "quiet enough to judge" : "above " + QUIET_LOAD + ", the ratios are noise; this run will not judge");
        Process targets = startTargets();
        // Same concurrency as the C prober: 128 in flight against the one loopback target. The
        // agent's default per-target limit (4, a courtesy to real hosts) is lifted for this.
        ProbeLimits limits = new ProbeLimits(IN_FLIGHT, IN_FLIGHT, ProbeLimits.DEFAULT_UDP_STARTS_PER_SECOND,
                ProbeLimits.DEFAULT_UDP_BURST);
        try (ProbeEngine engine = new ProbeEngine(limits)) {
            String whyNio = ConnectPath.whyNio();
            System.out.printf("engine: Java %s, connect path %s%s%n", Runtime.version(), engine.connectPath().id(),
                    whyNio.isEmpty() ? "" : " (ffm-epoll not used: " + whyNio + ")");
            int open = base;
            int closed = base + scanPorts;
            System.out.printf("targets: 127.0.0.1 tcp/%d-%d listening, tcp/%d-%d bound not listening%n",
                    base, base + scanPorts - 1, base + scanPorts, base + 2 * scanPorts - 1);
            // JIT warm-up: the agent runs for days, so its steady state is what counts.
            engineRate(engine, open, Math.min(n, 20_000), PortState.OPEN);
            engineRate(engine, closed, Math.min(n, 20_000), PortState.CLOSED);

            double[][] c = new double[2][rounds];
            double[][] java = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                c[0][r] = cRate(open, "open");
                java[0][r] = engineRate(engine, open, n, PortState.OPEN);
                c[1][r] = cRate(closed, "refused");
                java[1][r] = engineRate(engine, closed, n, PortState.CLOSED);
                System.out.printf("round %d: open C %.0f/s engine %.0f/s | closed C %.0f/s engine %.0f/s%n",
                        r + 1, c[0][r], java[0][r], c[1][r], java[1][r]);
            }

            boolean pass = true;
            System.out.printf("%nconnect rate, %d connects per run, %d in flight, median of %d rounds (best in brackets)%n",
                    n, IN_FLIGHT, rounds);
            System.out.printf("%-22s %22s %22s %14s   target%n", "target", "C epoll (baseline)", "agent ProbeEngine", "ratio");
            String[] names = {"open   tcp/" + open, "closed tcp/" + closed};
            for (int t = 0; t < 2; t++) {
                double ratio = median(java[t]) / median(c[t]);
                double bestRatio = max(java[t]) / max(c[t]);
                boolean ok = ratio >= TARGET_RATIO;
                pass &= ok;
                System.out.printf("%-22s %13.0f (%6.0f) %13.0f (%6.0f) %6.2f (%4.2f)   >= %.1f %s%n", names[t],
                        median(c[t]), max(c[t]), median(java[t]), max(java[t]), ratio, bestRatio, TARGET_RATIO,
                        ok ? "PASS" : "FAIL");
            }
            pass &= scans(engine);
            double loadAtEnd = loadAverage();
            if (!quiet) {
                System.out.printf("%nprobe-rate: not judged: load average %.2f at the start (%.2f at the end), above %.1f%n",
                        loadAtStart, loadAtEnd, QUIET_LOAD);
                return 2;
            }
            System.out.printf(pass ? "%nprobe-rate: all targets met (load average %.2f at the start, %.2f at the end)%n"
                    : "%nprobe-rate: a target was missed (load average %.2f at the start, %.2f at the end)%n", loadAtStart, loadAtEnd);
            return pass ? 0 : 1;
        } finally {
            targets.getOutputStream().close(); // cprobe serve exits at end of input
            if (!targets.waitFor(5, TimeUnit.SECONDS)) {
                targets.destroy();
            }
        }
    }

    /**
     * Holds 2 x scanPorts ports: the first free block from 10000 up, below the ephemeral range
     * (32768) so that no connect can land on itself. A taken port moves the search past it.
     */
    Process startTargets() throws IOException, InterruptedException {
        base = 10_000;
        while (base + 2 * scanPorts <= 32_768) {
            Process p = new ProcessBuilder(cprobe, "serve", Integer.toString(base), Integer.toString(scanPorts))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if ("ready".equals(line)) {
                return p;
            }
            p.waitFor();
            if (line == null || !line.startsWith("busy ")) {
                throw new IllegalStateException("cprobe serve failed: " + line);
            }
            base = Integer.parseInt(line.substring(5)) + 1;
        }
        throw new IllegalStateException("no block of " + 2 * scanPorts + " free ports in 10000-32767");
    }

    static final Pattern C_RESULT = Pattern.compile(
            "connects=(\\d+) open=(\\d+) refused=(\\d+) other=(\\d+) seconds=([0-9.]+) rate=(\\d+)");

    double cRate(int port, String expected) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cprobe, "connect", Integer.toString(port), Integer.toString(n),
                Integer.toString(IN_FLIGHT)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("cprobe connect failed: " + out);
        }
        Matcher m = C_RESULT.matcher(out);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected cprobe output: " + out);
        }
        long good = Long.parseLong(m.group(expected.equals("open") ? 2 : 3));
        if (good != n) {
            System.out.println("  C prober: only " + good + " of " + n + " " + expected + ": " + out);
        }
        return n / Double.parseDouble(m.group(5));
    }

    /** N probes of one port, all submitted at once: the engine keeps 128 in flight and queues the rest. */
    double engineRate(ProbeEngine engine, int port, int count, PortState expected) {
        InetSocketAddress target = new InetSocketAddress(loopback(), port);
        long t0 = System.nanoTime();
        List<CompletableFuture<ProbeResult>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(engine.probe(ProbeRequest.tcp(target, TIMEOUT)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        checkStates(futures, expected, "engine, port " + port);
        return count / seconds;
    }

    boolean scans(ProbeEngine engine) throws IOException, InterruptedException {
        String nmap = which("nmap");
        System.out.printf("%nscan of %d ports once (open block, closed block), median of %d rounds%n", scanPorts, rounds);
        if (nmap == null) {
            System.out.println("nmap not installed: comparison skipped (run.sh installs it with apt-get when run as root)");
            return true;
        }
        String[] flags = {"-sT", "-n", "-Pn", "--max-retries", "0"};
        double fixed = median(repeat(() -> nmapSeconds(nmap, flags, base, base, "open", 1)));
        System.out.printf("%-22s %18s %18s %10s   target%n", "ports", "nmap -sT (wall)", "agent ProbeEngine", "speedup");
        boolean pass = true;
        for (int t = 0; t < 2; t++) {
            int from = base + t * scanPorts;
            String state = t == 0 ? "open" : "closed";
            PortState expected = t == 0 ? PortState.OPEN : PortState.CLOSED;
            double nmapSeconds = median(repeat(() -> nmapSeconds(nmap, flags, from, from + scanPorts - 1, state, scanPorts)));
            double engineSeconds = median(repeat(() -> engineScanSeconds(engine, from, scanPorts, expected)));
            double speedup = nmapSeconds / engineSeconds;
            pass &= speedup > 1;
            System.out.printf("%-22s %16.1f ms %15.1f ms %9.1fx   faster %s%n",
                    state + " " + from + "-" + (from + scanPorts - 1), nmapSeconds * 1e3, engineSeconds * 1e3,
                    speedup, speedup > 1 ? "PASS" : "FAIL");
        }
        System.out.printf("(nmap %s; its wall time includes its own start-up: a 1-port scan takes %.1f ms)%n",
                String.join(" ", flags), fixed * 1e3);
        return pass;
    }

    interface Measure {
        double seconds() throws IOException, InterruptedException;
    }

    double[] repeat(Measure m) throws IOException, InterruptedException {
        double[] values = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            values[i] = m.seconds();
        }
        return values;
    }

    static final Pattern NMAP_PORT = Pattern.compile("(\\d+)/(open|closed|filtered)/tcp");
    static final Pattern NMAP_IGNORED = Pattern.compile("Ignored State: (\\w+) \\((\\d+)\\)");

    /** Wall time of one nmap run; checks that it saw every port in the expected state. */
    double nmapSeconds(String nmap, String[] flags, int from, int to, String state, int expectedCount)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(nmap));
        cmd.addAll(Arrays.asList(flags));
        cmd.addAll(List.of("-p", from + "-" + to, "-oG", "-", "127.0.0.1"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int seen = 0;
        Matcher port = NMAP_PORT.matcher(out);
        while (port.find()) {
            seen += port.group(2).equals(state) ? 1 : 0;
        }
        Matcher ignored = NMAP_IGNORED.matcher(out);
        if (ignored.find() && ignored.group(1).equals(state)) {
            seen += Integer.parseInt(ignored.group(2));
        }
        if (seen != expectedCount) {
            System.out.println("  nmap saw " + seen + " of " + expectedCount + " ports " + state);
        }
        return seconds;
    }

    double engineScanSeconds(ProbeEngine engine, int from, int count, PortState expected) {
        long t0 = System.nanoTime();
        List<CompletableFuture<ProbeResult>> futures = new ArrayList<>(count);
        for (int port = from; port < from + count; port++) {
            futures.add(engine.probe(ProbeRequest.tcp(new InetSocketAddress(loopback(), port), TIMEOUT)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        checkStates(futures, expected, "engine scan from " + from);
        return seconds;
    }

    static void checkStates(List<CompletableFuture<ProbeResult>> futures, PortState expected, String what) {
        Map<PortState, Integer> states = new EnumMap<>(PortState.class);
        futures.forEach(f -> states.merge(f.join().state(), 1, Integer::sum));
        if (states.getOrDefault(expected, 0) != futures.size()) {
            System.out.println("  " + what + ": expected all " + expected + ", got " + states);
        }
    }

    static final InetAddress LOOPBACK = ipv4Loopback();

    static InetAddress loopback() {
        return LOOPBACK;
    }

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            java.io.File f = new java.io.File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** The 1-minute load average (Linux); NaN elsewhere, which never counts as quiet. */
    static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }
}
