package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The collector's REST API over java.net.http: JSON in and out, the API key as a bearer token,
 * every error turned into {@link ApiException} (the problem detail) or {@link UnreachableException}
 * (no answer, or not the API). Bodies are read up to {@link #MAX_BODY} bytes.
 */
final class ApiClient {

    /** Far above a page of 10,000 checks (about 4 MB). */
    static final int MAX_BODY = 32 * 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Pages of a paged list, at most: 10 million checks at 1,000 a page. */
    static final int MAX_PAGES = 10_000;

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status, its body (null when empty) and the server's clock (its Date header). */
    record Answer(int status, JsonNode body, Optional<String> link, Optional<Instant> date) {}

    private final String base;
    private final Optional<String> apiKey;
    private final HttpClient http;

    /** {@code base} is the collector's URL, e.g. {@code http://localhost:8080}, maybe with a path prefix. */
    ApiClient(URI base, Optional<String> apiKey) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    String base() {
        return base;
    }

    Answer get(String path, Map<String, String> query) {
        return send("GET", path + query(query), HttpRequest.BodyPublishers.noBody());
    }

    /**
     * Every element of a list the API pages by id ({@code GET /checks}): while the answer carries a
     * {@code Link} header, the next page is asked for with {@code after} set to the last id. The
     * link's own URL is not followed: it names the host the collector believes it has, which
     * behind a proxy is not the one this client was told to trust with its key.
     */
    List<JsonNode> all(String path, Map<String, String> query, int pageSize) {
        List<JsonNode> items = new ArrayList<>();
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put("limit", Integer.toString(pageSize));
        for (int page = 0; page < MAX_PAGES; page++) {
            Answer answer = get(path, q);
            JsonNode body = answer.body();
            if (body == null || !body.isArray()) {
                throw new UnreachableException("GET " + Text.bound(base + path, Text.MESSAGE) + ": expected a JSON array");
            }
            body.forEach(items::add);
            if (answer.link().isEmpty() || body.isEmpty()) {
                return items;
            }
            q.put("after", body.get(body.size() - 1).path("id").asText());
        }
        throw new UnreachableException("GET " + Text.bound(base + path, Text.MESSAGE) + ": more than " + MAX_PAGES + " pages");
    }

    Answer put(String path, JsonNode body) {
        return send("PUT", path, json(body));
    }

    Answer post(String path, JsonNode body) {
        return send("POST", path, json(body));
    }

    /** {@code path} and {@code query} joined; null and empty values are left out. */
    static String query(Map<String, String> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isEmpty())
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpRequest.BodyPublisher json(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a request body that Jackson cannot write: " + e, e);
        }
    }

    private Answer send(String method, String pathAndQuery, HttpRequest.BodyPublisher body) {
        String url = base + pathAndQuery;
        String request = method + " " + Text.bound(url, Text.MESSAGE);
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(url));
        } catch (IllegalArgumentException e) {
            throw new UnreachableException(request + ": not a URL: " + Text.bound(e.getMessage(), Text.MESSAGE));
        }
        builder.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").method(method, body);
        if (!method.equals("GET")) {
            builder.header("Content-Type", "application/json");
        }
        apiKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        HttpResponse<InputStream> response;
        byte[] bytes;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_BODY + 1);
            }
        } catch (HttpTimeoutException e) {
            throw new UnreachableException("cannot reach the collector: " + request + " timed out (" + e.getMessage() + ")");
        } catch (ConnectException e) {
            throw new UnreachableException("cannot reach the collector at " + Text.bound(base, Text.MESSAGE) + ": " + request
                    + ": connection refused" + (e.getMessage() == null ? "" : " (" + Text.bound(e.getMessage(), 200) + ")")
                    + "; is it running? (--collector or " + PortwatchCli.COLLECTOR_ENV + " names it)");
        } catch (IOException e) {
            throw new UnreachableException("cannot reach the collector at " + Text.bound(base, Text.MESSAGE) + ": " + request
                    + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + Text.bound(e.getMessage(), 200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException(request + ": interrupted");
        }
        if (bytes.length > MAX_BODY) {
            throw new UnreachableException(request + ": the answer is larger than " + MAX_BODY + " bytes");
        }
        int status = response.statusCode();
        JsonNode json = parse(bytes);
        if (status >= 300 && status < 400) {
            // Not followed: the key would go wherever the answer points.
            throw new ApiException(request, status, "Redirect", "the collector's URL may be another: the answer points to "
                    + Text.bound(response.headers().firstValue("Location").orElse("(no Location)"), 200)
                    + "; give that base URL as --collector or " + PortwatchCli.COLLECTOR_ENV);
        }
        if (status >= 400) {
            if (json != null && json.isObject() && json.has("status")) {
                throw new ApiException(request, status, json.path("title").asText(null), json.path("detail").asText(null));
            }
            throw new ApiException(request, status, "(not a problem document)", firstLine(bytes));
        }
        if (bytes.length > 0 && json == null) {
            throw new UnreachableException(request + ": HTTP " + status + " but the answer is not JSON: " + firstLine(bytes)
                    + " (is " + Text.bound(base, Text.MESSAGE) + " a Portwatch collector?)");
        }
        return new Answer(status, json, response.headers().firstValue("Link"), date(response));
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String firstLine(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        return Text.bound(nl < 0 ? text : text.substring(0, nl), 200);
    }

    private static Optional<Instant> date(HttpResponse<?> response) {
        return response.headers().firstValue("Date").flatMap(d -> {
            try {
                return Optional.of(ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }
}
