package io.portwatch.collector.uptime;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Uptime and latency percentiles from rollups plus raw edges must equal a brute-force computation
 * over the results sent (percentiles within the histogram's ±12 %), for windows with arbitrary
 * edges, with results sent out of order, late, and twice.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptimeCorrectnessTest {

    private static final String AGENT = "uptime-agent";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Random random = new Random(7);
    private final CheckInstance web = instance("uptime-web", "127.0.0.1", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
    private final CheckInstance guard = instance("uptime-guard", "127.0.0.1", Protocol.TCP, 23, Expectation.EXPECT_CLOSED);
    private final List<ProbeResult> sentWeb = new ArrayList<>();
    private final List<ProbeResult> sentGuard = new ArrayList<>();
    private Instant now;

    @BeforeAll
    void sendThreeDaysOfResults() throws Exception {
        now = Instant.now();
        Instant start = now.minus(Duration.ofDays(3));
        for (Instant t = start; t.isBefore(now); t = t.plusSeconds(60 + random.nextInt(120))) {
            sentWeb.add(randomResult(web, t));
            sentGuard.add(randomResult(guard, t.plusMillis(random.nextInt(1000))));
        }
        List<ProbeResult> all = new ArrayList<>(sentWeb);
        all.addAll(sentGuard);
        Collections.shuffle(all, random); // late and out-of-order results land in the right buckets
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(AGENT)).send(catalog("uptime", List.of(web, guard)));
            long seq = 0;
            for (int i = 0; i < all.size(); i += 250) {
                seq++;
                var b = batch(seq, all.subList(i, Math.min(all.size(), i + 250)));
                client.send(b);
                assertEquals(seq, client.next(WAIT).getAck().getSeq());
                if (seq % 3 == 0) { // a re-sent batch must not count twice
                    client.send(b);
                    assertEquals(seq, client.next(WAIT).getAck().getSeq());
                }
            }
        }
    }

    private ProbeResult randomResult(CheckInstance check, Instant at) {
        int roll = random.nextInt(100);
        PortState state = roll < 80 ? PortState.OPEN : roll < 90 ? PortState.CLOSED
                : roll < 95 ? PortState.FILTERED : roll < 98 ? PortState.OPEN_FILTERED : PortState.ERROR;
        long latency = (long) Math.exp(random.nextGaussian() + 7);
        return ProbeResult.newBuilder().setInstanceKey(check.getKey()).setState(state).setReason(Reason.CONNECTED)
                .setAddress("127.0.0.1").setLatencyMicros(latency).setObservedAtMs(at.toEpochMilli()).build();
    }

    @Test
    void fixedWindowsMatchBruteForce() {
        for (String window : List.of("1h", "24h", "7d", "30d")) {
            Duration d = window.endsWith("h") ? Duration.ofHours(Long.parseLong(window.replace("h", "")))
                    : Duration.ofDays(Long.parseLong(window.replace("d", "")));
            JsonPath report = given().queryParam("window", window).get("/api/v1/checks/" + id(web) + "/uptime")
                    .then().statusCode(200).extract().jsonPath();
            Instant to = Instant.parse(report.getString("to"));
            assertMatches(report, sentWeb, to.minus(d), to, true, window);
        }
    }

    @Test
    void arbitraryEdgesMatchBruteForceForBothExpectations() {
        for (int i = 0; i < 12; i++) {
            Instant from = now.minus(Duration.ofMinutes(random.nextInt(4 * 24 * 60)));
            Instant to = from.plus(Duration.ofMinutes(1 + random.nextInt(3 * 24 * 60)));
            for (var check : List.of(web, guard)) {
                JsonPath report = given().queryParam("from", from.toString()).queryParam("to", to.toString())
                        .get("/api/v1/checks/" + id(check) + "/uptime").then().statusCode(200).extract().jsonPath();
                assertMatches(report, check == web ? sentWeb : sentGuard, from, to, check == web, from + ".." + to);
            }
        }
    }

    /** Edges on hour and day boundaries, windows inside one hour, across midnight, and empty. */
    @Test
    void alignedAndShortWindowsMatchBruteForce() {
        Instant day = now.truncatedTo(ChronoUnit.DAYS);
        Instant hour = hour(now);
        List<Instant[]> windows = List.of(
                new Instant[] {day.minus(Duration.ofDays(2)), day},
                new Instant[] {day.minus(Duration.ofDays(2)), day.minus(Duration.ofDays(1)).plusSeconds(1)},
                new Instant[] {hour.minus(Duration.ofHours(7)), hour},
                new Instant[] {hour.minus(Duration.ofHours(2)).plusSeconds(90), hour.minus(Duration.ofHours(2)).plusSeconds(1500)},
                new Instant[] {day.minusSeconds(300), day.plusSeconds(300)},
                new Instant[] {day.minus(Duration.ofDays(1)).minusMillis(1), day.plusMillis(1)},
                new Instant[] {hour.minus(Duration.ofHours(3)), hour.minus(Duration.ofHours(3))});
        for (Instant[] w : windows) {
            for (var check : List.of(web, guard)) {
                JsonPath report = given().queryParam("from", w[0].toString()).queryParam("to", w[1].toString())
                        .get("/api/v1/checks/" + id(check) + "/uptime").then().statusCode(200).extract().jsonPath();
                assertMatches(report, check == web ? sentWeb : sentGuard, w[0], w[1], check == web, w[0] + ".." + w[1]);
            }
        }
    }

    @Test
    void anEmptyWindowHasNoUptimeRatherThanZero() {
        JsonPath report = given().queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-01-02T00:00:00Z")
                .get("/api/v1/checks/" + id(web) + "/uptime").then().statusCode(200).extract().jsonPath();
        assertEquals(0, report.getInt("samples"));
        assertNull(report.get("uptimePercent"));
        assertNull(report.get("latency.p50Ms"));
    }

    @Test
    void incidentsAreTheUnhealthyRunsOfTheResultsInTimeOrder() {
        // Results arrived shuffled: incidents only follow results newer than the current state,
        // so compare against the runs of the in-order suffix the collector saw as "current".
        List<Map<String, Object>> incidents = given().queryParam("from", now.minus(Duration.ofDays(4)).toString())
                .queryParam("limit", 1000).get("/api/v1/checks/" + id(web) + "/incidents")
                .then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> incident : incidents) {
            Instant started = Instant.parse((String) incident.get("startedAt"));
            assertTrue(sentWeb.stream().anyMatch(r -> r.getObservedAtMs() == started.toEpochMilli()
                    && r.getState() != PortState.OPEN), "incident starts at an unhealthy result: " + incident);
        }
        long open = incidents.stream().filter(i -> Boolean.TRUE.equals(i.get("ongoing"))).count();
        assertTrue(open <= 1, "at most one ongoing incident");
    }

    private void assertMatches(JsonPath report, List<ProbeResult> sent, Instant from, Instant to, boolean expectOpen,
            String what) {
        Map<String, Long> byState = new TreeMap<>();
        long healthy = 0;
        List<Long> latencies = new ArrayList<>();
        for (ProbeResult r : sent) {
            Instant at = Instant.ofEpochMilli(r.getObservedAtMs());
            if (at.isBefore(from) || !at.isBefore(to)) {
                continue;
            }
            byState.merge(r.getState().name(), 1L, Long::sum);
            boolean ok = expectOpen ? r.getState() == PortState.OPEN
                    : r.getState() == PortState.CLOSED || r.getState() == PortState.FILTERED;
            healthy += ok ? 1 : 0;
            if (r.getState() == PortState.OPEN || r.getState() == PortState.CLOSED) {
                latencies.add(r.getLatencyMicros());
            }
        }
        long samples = byState.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(samples, report.getLong("samples"), what + " samples");
        assertEquals(healthy, report.getLong("healthySamples"), what + " healthy");
        for (var e : byState.entrySet()) {
            assertEquals(e.getValue(), report.getLong("samplesByState." + e.getKey()), what + " " + e.getKey());
        }
        if (samples > 0) {
            assertEquals(Math.round(healthy * 1_000_000.0 / samples) / 10_000.0, report.getDouble("uptimePercent"), 1e-9,
                    what + " uptime");
        }
        assertEquals(latencies.size(), report.getLong("latency.samples"), what + " latency samples");
        Collections.sort(latencies);
        for (var q : List.of(Map.entry("p50Ms", 0.50), Map.entry("p95Ms", 0.95), Map.entry("p99Ms", 0.99))) {
            if (latencies.isEmpty()) {
                continue;
            }
            double exactMs = latencies.get((int) Math.ceil(q.getValue() * latencies.size()) - 1) / 1000.0;
            double apiMs = report.getDouble("latency." + q.getKey());
            assertTrue(Math.abs(apiMs - exactMs) / exactMs <= 0.13, what + " " + q.getKey() + " " + apiMs + " vs " + exactMs);
        }
    }

    private long id(CheckInstance check) {
        List<Integer> ids = given().queryParam("agent", AGENT).get("/api/v1/checks").jsonPath()
                .getList("findAll { it.key == '" + check.getKey() + "' }.id");
        assertEquals(1, ids.size());
        return ids.get(0);
    }

    static Instant hour(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }
}
