package io.portwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What answers that are not the collector's do to the CLI, from an HTTP server this test runs on
 * loopback: each is an exit code and a bounded message, never a stack trace or raw bytes on the
 * terminal. The collector's own answers are CliIT's (e2e).
 */
class ApiClientTest {

    record Answer(int status, String contentType, String body, Map<String, String> headers) {}

    private HttpServer server;
    private final AtomicReference<Answer> next = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            Answer a = next.get();
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", a.contentType());
            a.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    record Run(int exit, String out, String err) {}

    private Run run(Answer answer, String... args) {
        next.set(answer);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        int exit = PortwatchCli.run(args, Map.of(PortwatchCli.COLLECTOR_ENV, url, PortwatchCli.API_KEY_ENV, "pwk_test"),
                new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aPageThatIsNotJsonIsNotTheApi() {
        Run run = run(new Answer(200, "text/html", "<html><body>router login</body></html>\nmore", Map.of()), "alerts");
        assertEquals(Exit.UNREACHABLE, run.exit(), run::toString);
        assertTrue(run.err().contains("HTTP 200 but the answer is not JSON: <html><body>router login</body></html>"), run::toString);
        assertEquals("Bearer pwk_test", authorization.get());
    }

    @Test
    void anErrorThatIsNotAProblemShowsItsStatusAndFirstLine() {
        Run run = run(new Answer(502, "text/plain", "bad gateway\nupstream details", Map.of()), "rules", "list");
        assertEquals(Exit.API_ERROR, run.exit(), run::toString);
        assertTrue(run.err().endsWith("/api/v1/alert-rules: 502 (not a problem document): bad gateway\n"), run::toString);
    }

    @Test
    void aProblemShowsStatusTitleAndDetailAndA401Hint() {
        Run run = run(new Answer(401, "application/problem+json", """
                {"type": "about:blank", "title": "Unauthorized", "status": 401,
                 "detail": "the credential was refused: unknown, revoked or invalid", "instance": "/api/v1/alerts"}""", Map.of()),
                "alerts");
        assertEquals(Exit.API_ERROR, run.exit(), run::toString);
        assertTrue(run.err().endsWith("/api/v1/alerts?state=firing: 401 Unauthorized: the credential was refused: unknown,"
                + " revoked or invalid (give an API key: PORTWATCH_API_KEY or --api-key)\n"), run::toString);
    }

    @Test
    void aRedirectIsNotFollowed() {
        Run run = run(new Answer(301, "text/plain", "", Map.of("Location", "https://elsewhere.example/api/v1/alerts")), "alerts");
        assertEquals(Exit.API_ERROR, run.exit(), run::toString);
        assertTrue(run.err().contains("the answer points to https://elsewhere.example/api/v1/alerts"), run::toString);
    }

    @Test
    void hostileStringsAreBoundedInTablesAndErrors() {
        String summary = "\u001b[2J\u001b[31mred" + "x".repeat(5_000);
        Run table = run(new Answer(200, "application/json", "[{\"id\": 1, \"state\": \"FIRING\", \"kind\": \"PORT\","
                + " \"rule\": \"r\\u0007\", \"summary\": \"" + summary.replace("\u001b", "\\u001b") + "\"}]", Map.of()), "alerts");
        assertEquals(Exit.OK, table.exit(), table::toString);
        assertFalse(table.out().contains("\u001b") || table.out().contains("\u0007"), table::toString);
        String row = table.out().lines().skip(1).findFirst().orElseThrow();
        assertTrue(row.endsWith("?[2J?[31mred" + "x".repeat(80 - 13) + "…"), row);
        assertTrue(row.contains(" r? "), row);

        Run problem = run(new Answer(400, "application/problem+json", "{\"title\": \"Bad\\u001b[0m\", \"status\": 400, \"detail\": \""
                + "d".repeat(100_000) + "\"}", Map.of()), "alerts");
        assertEquals(Exit.API_ERROR, problem.exit(), problem::toString);
        assertFalse(problem.err().contains("\u001b"), problem::toString);
        assertTrue(problem.err().length() < 800, () -> "error of " + problem.err().length() + " characters");
    }
}
