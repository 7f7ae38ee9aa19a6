import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two ends of bench/alert-latency: a TCP listener that the agent watches, and the webhook
 * receiver the collector notifies. Both bind first and write their ports to DIR/ports; once run.sh
 * creates DIR/go (the agent sees the listener OPEN) each round closes the listener, times the
 * arrival of FIRING, reopens it and times RESOLVED. Times are this process's monotonic clock from
 * the close (or reopen) to the webhook's arrival, so no clocks are compared across processes.
 *
 *   java AlertLatency.java DIR ROUNDS TIMEOUT_S RULE
 */
public class AlertLatency {

    private static final Pattern EVENT = Pattern.compile("\"event\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern RULE = Pattern.compile("\"rule\"\\s*:\\s*\"([^\"]*)\"");

    /** A webhook that arrived: its event and when (System.nanoTime). */
    record Arrival(String event, long nanos) {}

    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private final String rule;
    private volatile ServerSocket listener;
    private int listenPort;

    AlertLatency(String rule) {
        this.rule = rule;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long timeoutS = Long.parseLong(args[2]);
        AlertLatency bench = new AlertLatency(args[3]);
        HttpServer receiver = bench.startReceiver();
        bench.openListener(pickListenPort());
        Files.writeString(dir.resolve("ports"), bench.listenPort + " " + receiver.getAddress().getPort() + "\n");
        System.out.printf("listener 127.0.0.1:%d, webhook receiver http://127.0.0.1:%d/hook%n",
                bench.listenPort, receiver.getAddress().getPort());
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (!Files.exists(dir.resolve("go"))) {
            if (System.nanoTime() > waitUntil) throw new IllegalStateException("run.sh never said go");
            Thread.sleep(100);
        }
        int status = bench.measure(rounds, timeoutS);
        bench.closeListener();
        receiver.stop(0);
        System.exit(status);
    }

    int measure(int rounds, long timeoutS) throws Exception {
        List<Long> firing = new ArrayList<>();
        List<Long> resolved = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            arrivals.clear();
            long closed = System.nanoTime();
            closeListener();
            Long f = awaitEvent("FIRING", closed, timeoutS);
            if (f == null) return fail("round " + round + ": no FIRING within " + timeoutS + " s of closing the listener");
            Thread.sleep(1500); // let the alert settle as firing before the port comes back
            arrivals.clear();
            long reopened = System.nanoTime();
            openListener(listenPort);
            Long r = awaitEvent("RESOLVED", reopened, timeoutS);
            if (r == null) return fail("round " + round + ": no RESOLVED within " + timeoutS + " s of reopening");
            firing.add(f);
            resolved.add(r);
            System.out.printf("round %d: close -> FIRING %d ms, reopen -> RESOLVED %d ms%n", round, f, r);
            Thread.sleep(3000); // the check is healthy for a few results before the next close
        }
        System.out.printf("RESULT rounds=%d firing_ms_median=%d firing_ms_max=%d resolved_ms_median=%d resolved_ms_max=%d%n",
                rounds, median(firing), Collections.max(firing), median(resolved), Collections.max(resolved));
        return 0;
    }

    private Long awaitEvent(String event, long since, long timeoutS) throws InterruptedException {
        long deadline = since + TimeUnit.SECONDS.toNanos(timeoutS);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            Arrival a = arrivals.poll(left, TimeUnit.NANOSECONDS);
            if (a == null) return null;
            if (a.event().equals(event)) return TimeUnit.NANOSECONDS.toMillis(a.nanos() - since);
            System.out.printf("  (also received %s)%n", a.event());
        }
    }

    private HttpServer startReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher e = EVENT.matcher(body);
            Matcher r = RULE.matcher(body);
            if (e.find() && r.find() && r.group(1).equals(rule)) arrivals.add(new Arrival(e.group(1), now));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * A port below 32768: once closed, a probe of a free port in the ephemeral range can connect to
     * itself and look open. Picked at random and bound, so it is one this benchmark holds.
     */
    private static int pickListenPort() {
        Random random = new Random();
        for (int i = 0; i < 50; i++) {
            int port = 20000 + random.nextInt(12000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000 in 50 tries");
    }

    private void openListener(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        listenPort = s.getLocalPort();
        listener = s;
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    // the probe only connects; closing at once keeps the backlog empty
                } catch (IOException closed) {
                    return;
                }
            }
        }, "listener-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void closeListener() throws IOException {
        ServerSocket s = listener;
        if (s != null) s.close();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static int fail(String message) {
        System.out.println("FAILED " + message);
        return 1;
    }
}
