import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.collector.uptime.LatencyHistogram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;

/**
 * bench/query helper, run with the collector's classpath (Java single-file source launch).
 *
 * <ul>
 *   <li>{@code sql-buckets V1 V2 …}: SQL fragments that put the latencies V1, V2, … into the
 *       buckets of {@link LatencyHistogram#bucketOf} — the collector's own function, so the
 *       generated rollups hold exactly the histograms the ingest path would write.
 *   <li>{@code measure --port P --pg-port Q --checks N --instances M --warmup W --list-warmup L
 *       --requests R [--collector-pid J --postgres-pid K]}:
 *       verifies a few uptime answers against the raw rows, then times sequential requests over
 *       loopback HTTP and prints p50/p99 against the targets, and the CPU time each request cost
 *       the collector and PostgreSQL.
 * </ul>
 */
public class QueryBench {

    static final double UPTIME_TARGET_MS = 10;
    static final double LIST_TARGET_MS = 100;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sql-buckets")) {
            sqlBuckets(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("measure")) {
            measure(args);
        } else {
            throw new IllegalArgumentException("usage: sql-buckets V… | measure --port P --pg-port Q …");
        }
    }

    /**
     * Line 1: {@code case latency_micros when V then B … end}. Line 2: the histogram as an array
     * literal of per-bucket sums over a level-1 aggregate with columns {@code answered}, {@code b}
     * (the bucket) and {@code n} (the count); the caller trims it after the highest bucket used.
     */
    static void sqlBuckets(String[] values) {
        TreeMap<Integer, Boolean> used = new TreeMap<>();
        StringBuilder cases = new StringBuilder("case latency_micros");
        for (String v : values) {
            int b = LatencyHistogram.bucketOf(Long.parseLong(v));
            cases.append(" when ").append(v).append(" then ").append(b);
            used.put(b, true);
        }
        cases.append(" else -1 end");
        StringBuilder hist = new StringBuilder("array[");
        for (int b = 0; b <= used.lastKey(); b++) {
            hist.append(b == 0 ? "" : ", ");
            hist.append(used.containsKey(b) ? "coalesce(sum(n) filter (where answered and b = " + b + "), 0)" : "0");
        }
        hist.append("]::integer[]");
        System.out.println(cases);
        System.out.println(hist);
    }

    static void measure(String[] args) throws Exception {
        int port = 0;
        int pgPort = 0;
        int checks = 2000;
        int instances = 10_000;
        int warmup = 1000;
        int listWarmup = 30;
        int requests = 200;
        long collectorPid = 0;
        long postgresPid = 0;
        for (int i = 1; i < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--port" -> port = v;
                case "--pg-port" -> pgPort = v;
                case "--checks" -> checks = v;
                case "--instances" -> instances = v;
                case "--warmup" -> warmup = v;
                case "--list-warmup" -> listWarmup = v;
                case "--requests" -> requests = v;
                case "--collector-pid" -> collectorPid = v;
                case "--postgres-pid" -> postgresPid = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String base = "http://127.0.0.1:" + port + "/api/v1";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(42);

        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                "postgres", "")) {
            for (int i = 0; i < 3; i++) {
                verifyUptime(http, json, db, base, 1 + random.nextInt(checks));
            }
        }
        JsonNode list = json.readTree(get(http, base + "/checks?limit=" + instances).body());
        if (list.size() != instances) {
            throw new IllegalStateException("GET /checks?limit=" + instances + " returned " + list.size());
        }
        System.out.printf("verified: GET /checks?limit=%d returns %d check instances%n", instances, list.size());

        int maxCheck = checks;
        String listUrl = base + "/checks?limit=" + instances;
        Cpu cpu = new Cpu(collectorPid, postgresPid);
        double[] uptime = time(http, warmup, requests,
                () -> base + "/checks/" + (1 + random.nextInt(maxCheck)) + "/uptime?window=30d", cpu);
        double[] uptimeCpu = cpu.perRequest(requests);
        double[] listing = time(http, listWarmup, requests, () -> listUrl, cpu);
        double[] listingCpu = cpu.perRequest(requests);

        System.out.println();
        System.out.printf("(%d requests of each; after %d uptime and %d list warm-up requests)%n", requests, warmup,
                listWarmup);
        System.out.printf("%-44s %8s %8s %8s %8s %8s %11s%n", "request", "target", "p50", "p99", "mean", "max", "p99/target");
        report("GET /checks/{random id}/uptime?window=30d", UPTIME_TARGET_MS, uptime);
        report("GET /checks?limit=" + instances, LIST_TARGET_MS, listing);
        if (collectorPid > 0) {
            // CPU time does not wait in the run queue: it compares builds on a loaded machine.
            System.out.printf("%nCPU per timed request (ms; /proc, 10 ms ticks): collector JVM / PostgreSQL;"
                    + " of the JVM's, its JIT compiler threads%n");
            System.out.printf("%-44s %8.2f / %.2f; JIT %.2f%n", "GET /checks/{random id}/uptime?window=30d", uptimeCpu[0],
                    uptimeCpu[1], uptimeCpu[2]);
            System.out.printf("%-44s %8.2f / %.2f; JIT %.2f%n", "GET /checks?limit=" + instances, listingCpu[0],
                    listingCpu[1], listingCpu[2]);
        }
    }

    /**
     * The API's uptime of one check (rollups plus raw edges) equals a brute-force pass over its
     * raw rows in the same [from, to): sample counts exactly, and latency percentiles and mean
     * exactly too, because both sides bucket with LatencyHistogram.
     */
    static void verifyUptime(HttpClient http, ObjectMapper json, Connection db, String base, int check) throws Exception {
        JsonNode r = json.readTree(get(http, base + "/checks/" + check + "/uptime?window=30d").body());
        Instant from = Instant.parse(r.get("from").asText());
        Instant to = Instant.parse(r.get("to").asText());
        long samples = 0;
        long healthy = 0;
        TreeMap<String, Long> byState = new TreeMap<>();
        LatencyHistogram histogram = new LatencyHistogram();
        long latencySum = 0;
        try (PreparedStatement ps = db.prepareStatement("select state, healthy, latency_micros from result"
                + " where check_id = ? and observed_at >= ? and observed_at < ?")) {
            ps.setLong(1, check);
            ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    samples++;
                    healthy += rs.getBoolean(2) ? 1 : 0;
                    byState.merge(rs.getString(1), 1L, Long::sum);
                    if (rs.getString(1).equals("OPEN") || rs.getString(1).equals("CLOSED")) {
                        histogram.record(rs.getLong(3));
                        latencySum += rs.getLong(3);
                    }
                }
            }
        }
        String raw = samples + " samples, " + healthy + " healthy, " + byState + ", latency p50/p95/p99/mean "
                + ms(histogram.quantileMicros(0.50)) + "/" + ms(histogram.quantileMicros(0.95)) + "/"
                + ms(histogram.quantileMicros(0.99)) + "/" + ms((double) latencySum / histogram.count()) + " ms";
        TreeMap<String, Long> apiStates = new TreeMap<>();
        r.get("samplesByState").properties().forEach(e -> {
            if (e.getValue().asLong() > 0) {
                apiStates.put(e.getKey(), e.getValue().asLong());
            }
        });
        JsonNode l = r.get("latency");
        String api = r.get("samples").asLong() + " samples, " + r.get("healthySamples").asLong() + " healthy, "
                + apiStates + ", latency p50/p95/p99/mean " + l.get("p50Ms").asDouble() + "/" + l.get("p95Ms").asDouble()
                + "/" + l.get("p99Ms").asDouble() + "/" + l.get("meanMs").asDouble() + " ms";
        if (!api.equals(raw)) {
            throw new IllegalStateException("check " + check + ": the API says " + api + "; its raw rows say " + raw);
        }
        System.out.printf("verified: check %d over 30d = brute force over its raw rows: %s, uptime %s%%, %d incidents%n",
                check, api, r.get("uptimePercent"), r.get("incidents").size());
    }

    /** As WindowStats rounds: whole microseconds, shown in ms. */
    static double ms(Double micros) {
        return Math.round(micros) / 1000.0;
    }

    static double[] time(HttpClient http, int warmup, int requests, java.util.function.Supplier<String> url, Cpu cpu)
            throws Exception {
        double[] ms = new double[requests];
        long[] startedAt = new long[requests];
        byte[] buffer = new byte[64 * 1024];
        for (int i = 0; i < warmup + requests; i++) {
            if (i == warmup) {
                cpu.start();
            }
            String u = url.get();
            long wall = System.currentTimeMillis();
            long t = System.nanoTime();
            drain(http, u, buffer);
            if (i >= warmup) {
                ms[i - warmup] = (System.nanoTime() - t) / 1e6;
                startedAt[i - warmup] = wall;
            }
        }
        // The slowest requests and when they started, to match with a GC log (-Xlog:gc:file=…:time).
        Integer[] order = new Integer[requests];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(ms[b], ms[a]));
        StringBuilder slowest = new StringBuilder("  slowest:");
        for (int k = 0; k < Math.min(3, requests); k++) {
            slowest.append(String.format(" %.2f ms at %s;", ms[order[k]], java.time.Instant.ofEpochMilli(startedAt[order[k]])));
        }
        System.out.println(slowest);
        Arrays.sort(ms);
        return ms;
    }

    /** CPU seconds of the collector JVM and of PostgreSQL (the postmaster and its backends). */
    static final class Cpu {
        private final long collector;
        private final long postgres;
        private double collectorStart;
        private double postgresStart;
        private double compilerStart;

        Cpu(long collector, long postgres) {
            this.collector = collector;
            this.postgres = postgres;
        }

        void start() {
            collectorStart = seconds(collector);
            postgresStart = postgresSeconds();
            compilerStart = compilerSeconds();
        }

        /** Per request: the collector JVM's CPU, PostgreSQL's, and the part of the JVM's its JIT compilers took. */
        double[] perRequest(int requests) {
            return new double[] {(seconds(collector) - collectorStart) * 1000 / requests,
                    (postgresSeconds() - postgresStart) * 1000 / requests,
                    (compilerSeconds() - compilerStart) * 1000 / requests};
        }

        /**
         * CPU seconds of the collector's C1 and C2 compiler threads: when they are busy in the
         * timed part, the JIT is still warming up and competes with the requests for the cores.
         */
        private double compilerSeconds() {
            double total = 0;
            try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(
                    java.nio.file.Path.of("/proc/" + collector + "/task"))) {
                for (java.nio.file.Path task : tasks.toList()) {
                    try {
                        String name = java.nio.file.Files.readString(task.resolve("comm"));
                        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                            total += statSeconds(task.resolve("stat"));
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // a thread that ended meanwhile
                    }
                }
            } catch (java.io.IOException e) {
                return 0;
            }
            return total;
        }

        private double postgresSeconds() {
            if (postgres <= 0) {
                return 0;
            }
            double total = seconds(postgres);
            for (ProcessHandle child : ProcessHandle.of(postgres).map(p -> p.children().toList()).orElse(java.util.List.of())) {
                total += seconds(child.pid());
            }
            return total;
        }

        /** utime + stime of a live process, from /proc (fields 14 and 15, after the command name). */
        static double seconds(long pid) {
            if (pid <= 0) {
                return 0;
            }
            try {
                return statSeconds(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            } catch (java.io.IOException | RuntimeException e) {
                return 0; // a backend that ended between listing and reading
            }
        }

        /** utime + stime from a /proc stat file (a process's or a thread's). */
        static double statSeconds(java.nio.file.Path stat) throws java.io.IOException {
            String text = java.nio.file.Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }
    }

    static HttpResponse<byte[]> get(HttpClient http, String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode() + " " + new String(r.body()));
        }
        return r;
    }

    /**
     * A timed GET: the body is read to its last byte through one small buffer and counted, not
     * kept. Collecting a 3.8 MB list into one array made it a humongous object to this client's
     * G1, whose collections then showed up in the list's tail latency as if they were the server's.
     */
    static long drain(HttpClient http, String url, byte[] buffer) throws Exception {
        HttpResponse<java.io.InputStream> r = http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (java.io.InputStream in = r.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
            }
        }
        if (r.statusCode() != 200 || bytes == 0) {
            throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode() + ", " + bytes + " bytes");
        }
        return bytes;
    }

    static void report(String name, double targetMs, double[] sorted) {
        double p50 = pct(sorted, 0.50);
        double p99 = pct(sorted, 0.99);
        double mean = Arrays.stream(sorted).average().orElse(0);
        System.out.printf("%-44s %6.0f ms %5.2f ms %5.2f ms %5.2f ms %5.2f ms %6.2f %s%n", name, targetMs, p50, p99,
                mean, sorted[sorted.length - 1], p99 / targetMs, p99 < targetMs ? "MET" : "MISSED");
    }

    static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
