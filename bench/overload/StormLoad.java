import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.IngestGrpc;
import io.portwatch.proto.v1.ResultBatch;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The reconnect storm for bench/overload: every simulated agent connects at once holding
 * {@code rows / agents} results in batches (what it spooled while the collector was away) and
 * sends them the way the real agent does: as fast as its stream is ready (HTTP/2 flow control)
 * and with at most --window batches waiting for their ack (the agent's
 * portwatch.collector.max-in-flight-batches, 8 by default; 0: no window, as agents before
 * 2026-12-07 sent). Reuses bench/ingest's simulated agents
 * (catalogs, results); compiled together with IngestLoad.java by run.sh.
 *
 * <p>Results are stamped as if observed during the outage, one round of all instances every
 * 100 ms ending now, so that each (check, observed time) is unique and a stored duplicate shows.
 * At the time limit an agent stops sending; it then waits for the acks of what it sent. Writes
 * one line per agent, {@code ACKED agent-id seq rows} (cumulative: batches 1..seq are acked),
 * to the file given by --acked, and prints {@code RESULT rows=… seconds=… sent=…}.
 */
public class StormLoad {

    static final Duration ROUND = Duration.ofMillis(100);

    public static void main(String[] args) throws Exception {
        // Its own options here; the rest (host, port, agents, instances, batch, window, rows,
        // seconds) are bench/ingest's, parsed by it. --window 0: no window.
        long drainSeconds = 180;
        Path acked = Path.of("acked.txt");
        List<String> common = new ArrayList<>(List.of("--prefix", "storm"));
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--drain-seconds" -> drainSeconds = Long.parseLong(args[i + 1]);
                case "--acked" -> acked = Path.of(args[i + 1]);
                default -> common.addAll(List.of(args[i], args[i + 1]));
            }
        }
        IngestLoad.Settings s = IngestLoad.parse(common.toArray(String[]::new));
        int agents = s.agents();
        int instances = s.instances();
        int batch = s.batch();
        long rows = s.rows();
        long seconds = s.limit().toSeconds();
        long perAgent = rows / agents;
        Instant end = Instant.now();
        System.out.printf("storm: %d agents x %d instances connect at once, each holding %d results in %d batches of %d;"
                + " send limit %ds, then up to %ds for the acks%n", agents, instances, perAgent,
                (perAgent + batch - 1) / batch, batch, seconds, drainSeconds);
        List<Storm> storms = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            storms.add(new Storm(s, a + 1, perAgent, end));
        }
        long t = System.nanoTime();
        CompletableFuture.allOf(storms.stream().map(Storm::registerCatalog).toArray(CompletableFuture[]::new))
                .get(300, TimeUnit.SECONDS);
        System.out.printf("catalogs stored in %.1f s%n", (System.nanoTime() - t) / 1e9);

        long t0 = System.nanoTime();
        long sendDeadline = t0 + TimeUnit.SECONDS.toNanos(seconds);
        storms.forEach(st -> st.start(sendDeadline));
        long waitUntil = sendDeadline + TimeUnit.SECONDS.toNanos(drainSeconds);
        for (Storm st : storms) {
            st.done.await(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        double elapsed = (storms.stream().mapToLong(st -> st.lastAckNanos).max().orElse(t0) - t0) / 1e9;
        long ackedRows = 0;
        long sentRows = 0;
        int failed = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(acked))) {
            for (Storm st : storms) {
                ackedRows += st.ackedRows;
                sentRows += st.sentRows;
                out.printf("ACKED %s %d %d%n", st.id, st.ackedSeq, st.ackedRows);
                if (st.error != null) {
                    failed++;
                    System.err.println(st.id + " ended with " + st.error);
                }
                if (st.done.getCount() > 0) {
                    failed++;
                    System.err.println(st.id + ": acks missing at the end, " + st.ackedSeq + " of " + st.sentSeq);
                    st.cancel();
                }
            }
        }
        storms.forEach(st -> st.channel.shutdownNow());
        System.out.printf("RESULT rows=%d seconds=%.3f rows_per_s=%.0f sent=%d agents_failed=%d complete=%s%n", ackedRows,
                elapsed, ackedRows / Math.max(elapsed, 0.001), sentRows, failed, ackedRows == perAgent * agents);
        System.exit(0);
    }

    /** One agent of the storm: IngestLoad's simulated agent, sending like the real one. */
    static final class Storm extends IngestLoad.Agent implements ClientResponseObserver<AgentMessage, CollectorMessage> {
        final CountDownLatch done = new CountDownLatch(1);
        final Instant end;
        final int batches;
        private ClientCallStreamObserver<AgentMessage> out;
        private long deadline;
        // The sending side runs on gRPC's executor one call at a time; acks on its callbacks.
        private int sentSeq;
        private volatile boolean sending = true;
        volatile long ackedSeq;
        volatile long ackedRows;
        volatile long sentRows;
        volatile long lastAckNanos;

        Storm(IngestLoad.Settings s, int number, long rows, Instant end) {
            super(s, number, rows, end);
            this.end = end;
            this.batches = (int) ((rows + s.batch() - 1) / s.batch());
        }

        /** Round r of all instances was observed (rounds - r) * 100 ms before the end of the outage. */
        @Override
        Instant observedAt(long n) {
            long rounds = (rows + s.instances() - 1) / s.instances();
            return end.minus(ROUND.multipliedBy(rounds - n / s.instances()));
        }

        void start(long sendDeadline) {
            this.deadline = sendDeadline;
            IngestGrpc.newStub(channel).connect(this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            this.out = requestStream;
            requestStream.setOnReadyHandler(this::pump);
        }

        /** Sends while the stream is ready and the window allows, as the real agent does. */
        private synchronized void pump() {
            if (sentSeq == 0) {
                out.onNext(hello());
            }
            while (sending && out.isReady() && (s.window() == 0 || sentSeq - ackedSeq < s.window())) {
                if (sentSeq >= batches || System.nanoTime() >= deadline) {
                    sending = false;
                    maybeFinish();
                    return;
                }
                int seq = ++sentSeq;
                ResultBatch.Builder b = ResultBatch.newBuilder().setSeq(seq);
                long first = (long) (seq - 1) * s.batch();
                for (long n = first; n < first + batchSize(seq); n++) {
                    b.addResults(result(n));
                }
                out.onNext(AgentMessage.newBuilder().setBatch(b).build());
                sentRows += batchSize(seq);
            }
        }

        private synchronized void maybeFinish() {
            if (!sending && ackedSeq == sentSeq && done.getCount() > 0) {
                out.onCompleted();
            }
        }

        @Override
        public void onNext(CollectorMessage m) {
            if (!m.hasAck()) {
                return;
            }
            long seq = m.getAck().getSeq();
            long rowsAcked = 0;
            for (long q = ackedSeq + 1; q <= seq; q++) {
                rowsAcked += batchSize(q);
            }
            ackedRows += rowsAcked;
            ackedSeq = Math.max(ackedSeq, seq);
            lastAckNanos = System.nanoTime();
            maybeFinish();
            pump();
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done.countDown();
        }

        @Override
        public void onCompleted() {
            done.countDown();
        }

        void cancel() {
            if (out != null) {
                out.cancel("the storm is over", null);
            }
        }
    }
}
