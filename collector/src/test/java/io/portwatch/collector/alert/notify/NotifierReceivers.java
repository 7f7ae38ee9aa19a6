package io.portwatch.collector.alert.notify;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Real receivers on loopback for every notifier type: one HTTP server (webhook, Slack, an
 * Alertmanager stand-in, a flaky and a refusing endpoint) and one SMTP server, bound before the
 * collector starts so their ports go into its notifier configuration.
 *
 * <p>Tests read what arrived over HTTP too ({@code /_received}, {@code /_mails}) and program the
 * flaky endpoint ({@code /_flaky}): the test resource and the test class may be loaded by
 * different class loaders, which share no static state.
 */
public class NotifierReceivers implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET = "test-secret";
    private static final String BASE_KEY = "test.receivers.url";

    private final Queue<Map<String, Object>> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger flakyFailures = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer http;
    private TestSmtpServer smtp;

    @Override
    public Map<String, String> start() {
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            smtp = TestSmtpServer.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        http.createContext("/_received", exchange -> answer(exchange, 200, json.writeValueAsBytes(List.copyOf(received))));
        http.createContext("/_mails", exchange -> answer(exchange, 200, json.writeValueAsBytes(List.copyOf(smtp.received()))));
        http.createContext("/_flaky", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                flakyFailures.set(Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim()));
            }
            answer(exchange, 204, null);
        });
        http.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, Object> request = new HashMap<>();
            request.put("path", path);
            request.put("method", exchange.getRequestMethod());
            request.put("headers", new HashMap<>(exchange.getRequestHeaders()));
            request.put("body", new String(body, StandardCharsets.UTF_8));
            received.add(request);
            int status = 200;
            String answer = "ok";
            if (path.equals("/refuse")) {
                status = 500;
                answer = "receiver says no";
            } else if (path.equals("/flaky") && flakyFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 500;
                answer = "flaky receiver fails";
            } else if (!List.of("/webhook", "/slack", "/am/api/v2/alerts", "/flaky").contains(path)) {
                status = 404;
                answer = "no such receiver";
            }
            answer(exchange, status, answer.getBytes(StandardCharsets.UTF_8));
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        Map<String, String> config = new HashMap<>();
        config.put(BASE_KEY, base);
        config.put("portwatch.notifiers.test-webhook.type", "webhook");
        config.put("portwatch.notifiers.test-webhook.url", base + "/webhook");
        config.put("portwatch.notifiers.test-webhook.secret", SECRET);
        config.put("portwatch.notifiers.test-slack.type", "slack");
        config.put("portwatch.notifiers.test-slack.url", base + "/slack");
        config.put("portwatch.notifiers.test-alertmanager.type", "alertmanager");
        config.put("portwatch.notifiers.test-alertmanager.url", base + "/am/");
        config.put("portwatch.notifiers.test-alertmanager.generator-url", "http://collector.test/api/v1/alerts/{alertId}");
        config.put("portwatch.notifiers.test-flaky.type", "webhook");
        config.put("portwatch.notifiers.test-flaky.url", base + "/flaky");
        config.put("portwatch.notifiers.test-refuse.type", "webhook");
        config.put("portwatch.notifiers.test-refuse.url", base + "/refuse");
        config.put("portwatch.notifiers.test-email.type", "email");
        config.put("portwatch.notifiers.test-email.to", "ops@portwatch.test,oncall@portwatch.test");
        config.put("portwatch.notifiers.test-email.from", "alerts@portwatch.test");
        config.put("quarkus.mailer.mock", "false");
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", Integer.toString(smtp.port()));
        // One SMTP connection per mail: a send through the test endpoint once hung for its whole
        // 10 s timeout on a connection kept alive from an earlier delivery of the outbox worker.
        config.put("quarkus.mailer.keep-alive", "false");
        // The EHLO name: unset, the mail client looks up this host's canonical name before its
        // first mail, which waited out DNS timeouts in CI (where the host name is not in /etc/hosts).
        config.put("quarkus.mailer.own-host-name", "collector.portwatch.test");
        config.put("portwatch.outbox.default-channels", "test-webhook");
        config.put("portwatch.outbox.initial-backoff", "100ms");
        config.put("portwatch.outbox.max-backoff", "1s");
        config.put("portwatch.outbox.max-attempts", "4");
        config.put("portwatch.outbox.alertmanager-refresh", "2s");
        return config;
    }

    @Override
    public void stop() {
        if (http != null) http.stop(0);
        if (smtp != null) smtp.close();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String base() {
        return ConfigProvider.getConfig().getValue(BASE_KEY, String.class);
    }

    /** The next HTTP requests to /flaky fail with 500. */
    static void failFlakyTimes(int n) {
        RestAssured.given().body(Integer.toString(n)).post(base() + "/_flaky").then().statusCode(204);
    }

    /** HTTP requests received on a path whose body matches, in arrival order. */
    static List<Map<String, Object>> http(String path, Predicate<String> body) {
        List<Map<String, Object>> all = RestAssured.get(base() + "/_received").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(r -> r.get("path").equals(path) && body.test((String) r.get("body"))).toList();
    }

    /** Mails received by the SMTP server whose data matches. */
    static List<Map<String, Object>> mails(Predicate<String> data) {
        List<Map<String, Object>> all = RestAssured.get(base() + "/_mails").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(m -> data.test((String) m.get("data"))).toList();
    }

    static String header(Map<String, Object> request, String name) {
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = (Map<String, List<String>>) request.get("headers");
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
        }
        return null;
    }

    /** Polls until the condition holds, or fails the test with what was expected. */
    static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
