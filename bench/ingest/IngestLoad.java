import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.portwatch.proto.v1.Ack;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.IngestGrpc;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.portwatch.proto.v1.ResultBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Simulated agents for bench/ingest: each agent opens its own gRPC stream to the collector, sends
 * Hello and a catalog of its check instances, then result batches numbered 1, 2, 3, … with at
 * most {@code window} unacked at a time, like the agent's spool. Every check instance is probed
 * once per round, stamped with the time it is sent, so a batch of 500 results from an agent with
 * 1,000 instances touches 500 different check instances — the collector's worst case for rollups
 * and current state.
 *
 * <p>Run with the collector's own classpath (Java single-file source launch):
 * {@code java -cp "collector/target/quarkus-app/app/*:collector/target/quarkus-app/lib/main/*"
 * bench/ingest/IngestLoad.java --port 8080 --rows 2000000}
 *
 * <p>Prints one line {@code RESULT rows=… seconds=… rows_per_s=…} that run.sh reads.
 */
public class IngestLoad {

    static final String[] PORT_NAMES = {"ssh", "http", "https", "postgres", "redis"};
    static final int[] PORTS = {22, 80, 443, 5432, 6379};
    static final Duration INTERVAL = Duration.ofSeconds(10);

    /** @param prefix agent ids are PREFIX-agent-N: run.sh warms the collector up with other agents first */
    record Settings(String host, int port, int agents, int instances, int batch, int window, long rows,
            Duration limit, String prefix) {}

    public static void main(String[] args) throws Exception {
        Settings s = parse(args);
        long perAgent = s.rows() / s.agents();
        // Results are stamped with the time they are sent, as live agents' are. (They used to be
        // stamped 10 s apart per round, ending at now: 40 minutes in the past while the run went
        // on, so every check raised NO_DATA, 8,000 alerts per run, a replay's work, not ingest's.)
        Instant start = Instant.now();
        System.out.printf("ingest load: %d agents x %d instances, batches of %d, at most %d unacked per stream,"
                + " %d rows (%d per agent), time limit %ds, results observed from %s%n", s.agents(), s.instances(),
                s.batch(), s.window(), perAgent * s.agents(), perAgent, s.limit().toSeconds(), start);

        List<Agent> agents = new ArrayList<>();
        for (int a = 0; a < s.agents(); a++) {
            agents.add(new Agent(s, a + 1, perAgent, start));
        }
        // Catalogs first, each on a stream of its own that ends when the collector has stored it,
        // so the timed part measures results only.
        long t = System.nanoTime();
        CompletableFuture.allOf(agents.stream().map(Agent::registerCatalog).toArray(CompletableFuture[]::new))
                .get(120, TimeUnit.SECONDS);
        System.out.printf("catalogs stored in %.1f s%n", (System.nanoTime() - t) / 1e9);

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Agent agent : agents) {
            Thread th = new Thread(() -> agent.stream(go), "agent-" + agent.number);
            th.start();
            threads.add(th);
        }
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        long lastAck = agents.stream().mapToLong(a -> a.lastAckNanos).max().orElse(t0);
        double seconds = (lastAck - t0) / 1e9;
        long rows = agents.stream().mapToLong(a -> a.ackedRows.get()).sum();
        long[] latencies = agents.stream().flatMapToLong(a -> Arrays.stream(a.ackLatencyMicros, 0, a.acks)).sorted()
                .toArray();
        boolean failed = agents.stream().anyMatch(a -> a.error != null);
        agents.forEach(a -> a.channel.shutdown());
        for (Agent a : agents) {
            if (a.error != null) {
                System.err.println("agent " + a.number + " failed: " + a.error);
            }
        }
        System.out.printf("batch send->ack latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d batches)%n",
                pct(latencies, 0.50) / 1000.0, pct(latencies, 0.99) / 1000.0,
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1000.0, latencies.length);
        // The simulated agents share the machine with the collector: what they cost it.
        System.out.printf("load generator: %.1f CPU-s from the first batch to the last ack%n",
                (processCpuNanos() - cpu0) / 1e9);
        System.out.printf("RESULT rows=%d seconds=%.3f rows_per_s=%.0f complete=%s%n", rows, seconds, rows / seconds,
                rows == perAgent * s.agents());
        System.exit(failed ? 1 : 0);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** One simulated agent: its channel, its catalog, and the results it sends. */
    static class Agent {
        final Settings s;
        final int number;
        final String id;
        final long rows;
        final Instant start;
        final ManagedChannel channel;
        final AtomicLong ackedRows = new AtomicLong();
        final long[] ackLatencyMicros;
        final AtomicLongArray sentAt;
        /** Each instance's key and target, made once: a real agent holds them as strings too. */
        final String[] keys;
        final String[] targets;
        int acks;
        volatile long lastAckNanos;
        volatile Throwable error;

        Agent(Settings s, int number, long rows, Instant start) {
            this.s = s;
            this.number = number;
            this.id = s.prefix() + "-agent-" + number;
            this.rows = rows;
            this.start = start;
            this.channel = ManagedChannelBuilder.forAddress(s.host(), s.port()).usePlaintext().build();
            int batches = (int) ((rows + s.batch() - 1) / s.batch());
            this.ackLatencyMicros = new long[batches];
            this.sentAt = new AtomicLongArray(batches + 1);
            this.keys = new String[s.instances()];
            this.targets = new String[s.instances()];
            for (int i = 0; i < s.instances(); i++) {
                keys[i] = key(i);
                targets[i] = target(i);
            }
        }

        AgentMessage hello() {
            return AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId(id).setHost("bench-host-" + number)
                    .setVersion("bench").putLabels("bench", "ingest")).build();
        }

        String key(int i) {
            return "bench-" + PORT_NAMES[i % PORTS.length] + "|" + target(i) + "|TCP|" + PORTS[i % PORTS.length];
        }

        String target(int i) {
            int host = i / PORTS.length;
            // The warm-up's agents probe other targets: alerts judge a target by all its agents' votes.
            int block = host / 250 + (s.prefix().equals("bench") ? 0 : 100);
            return "10." + number + "." + block + "." + (host % 250 + 1);
        }

        /** Exposure checks: a few instances expect the port closed. */
        static boolean expectClosed(int i) {
            return i % 50 == 49;
        }

        CompletableFuture<Void> registerCatalog() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<AgentMessage> out = IngestGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(CollectorMessage m) {}

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    done.complete(null);
                }
            });
            CheckCatalog.Builder catalog = CheckCatalog.newBuilder().setConfigHash("bench-" + s.instances());
            for (int i = 0; i < s.instances(); i++) {
                catalog.addInstances(CheckInstance.newBuilder().setKey(key(i))
                        .setCheckName("bench-" + PORT_NAMES[i % PORTS.length]).setTarget(target(i))
                        .setProto(Protocol.TCP).setPort(PORTS[i % PORTS.length])
                        .setExpect(expectClosed(i) ? Expectation.EXPECT_CLOSED : Expectation.EXPECT_OPEN)
                        .setIntervalMs((int) INTERVAL.toMillis()).setTimeoutMs(2000).putLabels("team", "bench"));
            }
            out.onNext(hello());
            out.onNext(AgentMessage.newBuilder().setCatalog(catalog).build());
            out.onCompleted();
            return done;
        }

        /**
         * Result n of this agent: round n / instances, instance n % instances. Mostly open ports;
         * per hundred instances one is steadily filtered (a long incident), a few flap every round
         * (incidents open and close) and the exposure checks are refused (healthy).
         */
        ProbeResult result(long n) {
            int i = (int) (n % s.instances());
            long round = n / s.instances();
            Instant at = observedAt(n);
            ProbeResult.Builder r = ProbeResult.newBuilder().setInstanceKey(keys[i]).setObservedAtMs(at.toEpochMilli())
                    .setAddress(targets[i]);
            long hash = (n * 0x9E3779B97F4A7C15L) >>> 40;
            if (expectClosed(i) || (i % 200 == 13 && round % 2 == 1)) {
                r.setState(PortState.CLOSED).setReason(Reason.REFUSED).setLatencyMicros(80 + hash % 400);
            } else if (i % 100 == 7) {
                r.setState(PortState.FILTERED).setReason(Reason.TIMEOUT).setLatencyMicros(2_000_000);
            } else {
                r.setState(PortState.OPEN).setReason(Reason.CONNECTED).setLatencyMicros(150 + hash % 20_000);
            }
            return r.build();
        }

        /** When result n was observed: when it is sent, as live agents stamp theirs. */
        Instant observedAt(long n) {
            return Instant.now();
        }

        void stream(CountDownLatch go) {
            Semaphore inFlight = new Semaphore(s.window());
            CountDownLatch finished = new CountDownLatch(1);
            int batches = ackLatencyMicros.length;
            long[] ackedSeq = {0};
            StreamObserver<AgentMessage> out = IngestGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(CollectorMessage m) {
                    if (m.hasWelcome()) {
                        return; // the answer to Hello: this simulated agent sends no listening inventory
                    }
                    if (!m.hasAck()) {
                        error = new IllegalStateException("unexpected " + m);
                        finished.countDown();
                        return;
                    }
                    long now = System.nanoTime();
                    Ack ack = m.getAck();
                    // Cumulative: every batch up to seq is stored.
                    for (long seq = ackedSeq[0] + 1; seq <= ack.getSeq(); seq++) {
                        ackLatencyMicros[acks++] = (now - sentAt.get((int) seq)) / 1000;
                        ackedRows.addAndGet(batchSize(seq));
                        inFlight.release();
                    }
                    ackedSeq[0] = Math.max(ackedSeq[0], ack.getSeq());
                    lastAckNanos = now;
                }

                @Override
                public void onError(Throwable t) {
                    error = t;
                    inFlight.release(s.window());
                    finished.countDown();
                }

                @Override
                public void onCompleted() {
                    finished.countDown();
                }
            });
            try {
                go.await();
                long deadline = System.nanoTime() + s.limit().toNanos();
                out.onNext(hello());
                for (int seq = 1; seq <= batches && error == null && System.nanoTime() < deadline; seq++) {
                    inFlight.acquire();
                    ResultBatch.Builder b = ResultBatch.newBuilder().setSeq(seq);
                    long first = (long) (seq - 1) * s.batch();
                    for (long n = first; n < first + batchSize(seq); n++) {
                        b.addResults(result(n));
                    }
                    AgentMessage m = AgentMessage.newBuilder().setBatch(b).build();
                    sentAt.set(seq, System.nanoTime());
                    out.onNext(m);
                }
                // Every batch sent is acked before the stream ends: wait for them all.
                if (!inFlight.tryAcquire(s.window(), 120, TimeUnit.SECONDS)) {
                    error = new IllegalStateException("acks missing 120 s after the last batch");
                }
                out.onCompleted();
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = e;
            }
        }

        long batchSize(long seq) {
            return Math.min(s.batch(), rows - (seq - 1) * s.batch());
        }
    }

    static Settings parse(String[] args) {
        String host = "127.0.0.1";
        int port = 8080;
        int agents = 8;
        int instances = 1000;
        int batch = 500;
        int window = 4;
        long rows = 2_000_000;
        long seconds = 120;
        String prefix = "bench";
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--agents" -> agents = Integer.parseInt(v);
                case "--instances" -> instances = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--rows" -> rows = Long.parseLong(v);
                case "--seconds" -> seconds = Long.parseLong(v);
                case "--prefix" -> prefix = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Settings(host, port, agents, instances, batch, window, rows, Duration.ofSeconds(seconds), prefix);
    }
}
