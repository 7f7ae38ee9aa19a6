package io.portwatch.collector.input;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every REST parameter and body, driven with hostile strings through real HTTP: no answer is a
 * 5xx. Run by {@link HostileInputTest} inside the running collector (see there why); not named
 * *Test, so surefire does not start it on its own.
 */
class RestHostileProperties {

    /** Requests sent, so the runner can tell the properties really ran. */
    static final AtomicInteger REQUESTS = new AtomicInteger();
    /** Set by the runner: the collector's HTTP port and a check id that exists (paths behind it parse their parameters). */
    static volatile int port;
    static volatile long checkId;

    private static final List<String> PATHS = List.of("/api/v1/agents/{v}", "/api/v1/targets/{v}",
            "/api/v1/checks/{v}", "/api/v1/checks/{v}/history", "/api/v1/checks/{v}/uptime", "/api/v1/checks/{v}/incidents",
            "/api/v1/alerts/{v}", "/api/v1/alert-rules/{v}", "/api/v1/silences/{v}");
    private static final List<String> METHODS = List.of("GET", "GET", "GET", "DELETE", "PUT", "POST");

    /** (path, parameter) pairs: every query parameter of the API. */
    private static final List<String[]> QUERIES = List.of(
            q("/api/v1/checks", "agent"), q("/api/v1/checks", "target"), q("/api/v1/checks", "port"),
            q("/api/v1/checks", "proto"), q("/api/v1/checks", "state"), q("/api/v1/checks", "healthy"),
            q("/api/v1/checks", "limit"), q("/api/v1/checks", "after"),
            q("/api/v1/alerts", "state"), q("/api/v1/alerts", "kind"), q("/api/v1/alerts", "limit"),
            q("/api/v1/alerts", "before"), q("/api/v1/notifications", "status"), q("/api/v1/notifications", "alert"),
            q("/api/v1/notifications", "limit"), q("/api/v1/silences", "status"),
            q("/api/v1/checks/{id}/history", "from"), q("/api/v1/checks/{id}/history", "to"),
            q("/api/v1/checks/{id}/history", "limit"), q("/api/v1/checks/{id}/history", "cursor"),
            q("/api/v1/checks/{id}/uptime", "window"), q("/api/v1/checks/{id}/uptime", "from"),
            q("/api/v1/checks/{id}/uptime", "to"), q("/api/v1/checks/{id}/incidents", "from"),
            q("/api/v1/checks/{id}/incidents", "to"), q("/api/v1/checks/{id}/incidents", "limit"));

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Vert.x's default limit on an HTTP request line (quarkus.http.limits.max-initial-line-length). */
    private static final int MAX_REQUEST_LINE = 4096;

    @Property(tries = 1000)
    void pathParametersNeverGetA5xx(@ForAll("paths") String path, @ForAll("methods") String method,
            @ForAll("hostile") String value) {
        String target = path.replace("{v}", HostileStrings.segment(value));
        Response r = send(target, () -> http().urlEncodingEnabled(false).contentType("application/json").body("{}")
                .request(method, target));
        assertNot5xx(r, method + " " + path + " with " + value);
    }

    @Property(tries = 1000)
    void queryParametersNeverGetA5xx(@ForAll("queries") String[] query, @ForAll("hostile") String value) {
        String path = query[0].replace("{id}", String.valueOf(checkId));
        Response r = send(path + "?" + query[1] + "=" + HostileStrings.segment(value),
                () -> http().queryParam(query[1], value).get(path));
        assertNot5xx(r, path + "?" + query[1] + "=" + value);
    }

    /** Raw bytes in the request target, which no HTTP client library would send: bad encodings, traversal, high bytes. */
    @Property(tries = 500)
    void rawRequestTargetsNeverGetA5xx(@ForAll("rawPrefixes") String prefix, @ForAll("rawTails") String tail)
            throws IOException {
        int status = rawGet(prefix + tail);
        assertTrue(status >= 200 && status < 500, "GET " + prefix + tail + " answered " + status);
    }

    /** Silence and rule bodies: JSON with hostile strings in every field, or no JSON at all. */
    @Property(tries = 600)
    void bodiesNeverGetA5xx(@ForAll("bodyTargets") String target, @ForAll("bodies") String body) {
        String[] methodAndPath = target.split(" ");
        Response r = http().contentType("application/json").body(body).request(methodAndPath[0], methodAndPath[1]);
        assertNot5xx(r, target + " with " + body);
        String created = r.getHeader("Location");
        if (r.statusCode() == 201 && created != null) {
            // Created by chance: removed again, so it neither mutes nor fires anything later.
            http().delete(java.net.URI.create(created).getPath()).then().statusCode(204);
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return HostileStrings.any();
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PATHS);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of(METHODS);
    }

    @Provide
    Arbitrary<String[]> queries() {
        return Arbitraries.of(QUERIES);
    }

    @Provide
    Arbitrary<String> rawPrefixes() {
        return Arbitraries.of("/api/v1/agents/", "/api/v1/targets/", "/api/v1/checks/", "/api/v1/alert-rules/",
                "/api/v1/checks?agent=", "/api/v1/checks?target=", "/api/v1/checks/1/history?cursor=", "/api/v1/");
    }

    @Provide
    Arbitrary<String> rawTails() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("%00", "%", "%z", "%zz", "%2e%2e", "..", "%2f", "%2F", "/", "%c0%ae", "%c0%af", "%ff", "%fe%ff",
                        "%e2%80%ae", "%ed%a0%80", "%u0000", "%25", "%%", "?", "#", ";", "%0d%0a", "%09", "%7f", "~", "a", "\\",
                        "%5c", "&", "=", "'", "\"", "<", ">", "{", "}", "|", "^", "`"),
                Arbitraries.chars().range('\u0080', '\u00ff').map(String::valueOf),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(4));
        return piece.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> bodyTargets() {
        return Arbitraries.of("POST /api/v1/silences", "PUT /api/v1/silences/1", "POST /api/v1/alert-rules",
                "PUT /api/v1/alert-rules/hostile-rule");
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> s = HostileStrings.any();
        Arbitrary<String> silence = Combinators.combine(s, s, s, s, s).as((check, target, comment, by, ends) -> json(Map.of(
                "matchers", Map.of("agent", "hostile-input-no-agent", "check", check, "target", target),
                "endsAt", ends.isEmpty() ? "2099-01-01T00:00:00Z" : ends, "comment", comment, "createdBy", by)));
        Arbitrary<String> rule = Combinators.combine(s, s, s, s, s).as((name, check, label, severity, after) -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", name);
            doc.put("match", Map.of("agent", "hostile-input-no-agent", "check", check, "labels", Map.of(label.isEmpty() ? "k" : label, after)));
            doc.put("severity", severity);
            doc.put("for", after);
            return json(doc);
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, silence), net.jqwik.api.Tuple.of(2, rule),
                net.jqwik.api.Tuple.of(1, s));
    }

    private static String json(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestSpecification http() {
        assertTrue(port > 0, "the runner did not set the collector's port");
        REQUESTS.incrementAndGet();
        return given().port(port);
    }

    /**
     * The response, or null when the collector refused a request line longer than it reads
     * (Vert.x answers 414 and closes while the client is still writing: a broken pipe here).
     */
    private static Response send(String target, java.util.function.Supplier<Response> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // rest-assured throws IOExceptions undeclared
            if (e instanceof java.net.SocketException && target.length() > MAX_REQUEST_LINE) {
                return null;
            }
            throw new AssertionError("request to " + target.length() + " chars of " + target + " failed", e);
        }
    }

    private static void assertNot5xx(Response r, String request) {
        if (r == null) {
            return;
        }
        assertTrue(r.statusCode() < 500, request + " answered " + r.statusCode() + ": " + r.asString());
        if (r.statusCode() >= 400) {
            // Every refusal is a problem document naming the rule, not a bare status.
            assertTrue(r.contentType().startsWith("application/problem+json") || r.statusCode() == 414
                    || r.statusCode() == 431, request + " answered " + r.statusCode() + " as " + r.contentType());
        }
    }

    /** The status of a GET sent byte for byte over a plain socket; chars above U+007F go as single bytes. */
    private static int rawGet(String target) throws IOException {
        assertTrue(port > 0, "the runner did not set the collector's port");
        REQUESTS.incrementAndGet();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            String[] parts = line.toString().split(" ");
            assertTrue(parts.length >= 2 && parts[0].startsWith("HTTP/1."), "no HTTP status line for " + target + ": " + line);
            return Integer.parseInt(parts[1]);
        }
    }

    private static String[] q(String path, String param) {
        return new String[] {path, param};
    }
}
