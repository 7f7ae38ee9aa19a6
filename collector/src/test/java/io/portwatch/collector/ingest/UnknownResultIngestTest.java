package io.portwatch.collector.ingest;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UNKNOWN results (issue 16 part 1: a UDP silence hidden by the target's ICMP rate limit) through
 * real gRPC ingest into the real PostgreSQL: stored as they are (state UNKNOWN, reason
 * icmp-rate-limited, healthy null), but no transition — the check keeps its last known state and
 * state_since, no incident opens — and counted neither for nor against uptime, before the fold
 * (raw results) and after it (rollups) alike. Folds run when the test says (RollupFoldTest's profile).
 */
@QuarkusTest
@TestProfile(RollupFoldTest.ManualFolds.class)
class UnknownResultIngestTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    RollupFolder folder;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void unknownResultsAreHistoryOnlyForAnExpectClosedUdpCheck() throws Exception {
        String agent = "unknown-closed";
        CheckInstance dns = instance("no-dns", "127.0.0.1", Protocol.UDP, 5353, Expectation.EXPECT_CLOSED);
        CheckInstance quiet = instance("quiet", "127.0.0.1", Protocol.UDP, 5354, Expectation.EXPECT_CLOSED);
        // Inside one past hour, so that after the fold the whole window is read from the rollups.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        Instant t0 = hour.plus(Duration.ofMinutes(10));
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog(agent, List.of(dns, quiet)));
            // One batch per result: what is carried from batch to batch is the stored state.
            long seq = 0;
            for (ProbeResult r : List.of(closed(dns, t0), unknown(dns, t0.plusSeconds(10), 1_000_000),
                    unknown(dns, t0.plusSeconds(20), 1_000_000), closed(dns, t0.plusSeconds(30)),
                    unknown(quiet, t0, 1_000_000))) {
                client.send(batch(++seq, List.of(r)));
                assertEquals(seq, client.next(WAIT).getAck().getSeq());
            }
        }
        long id = checkId(agent, "no-dns");
        long quietId = checkId(agent, "quiet");

        given().get("/api/v1/checks/" + id).then().statusCode(200)
                .body("state", equalTo("CLOSED")).body("reason", equalTo("port-unreachable"))
                .body("healthy", equalTo(true)).body("stateSince", equalTo(t0.toString()));
        // A check whose only result is UNKNOWN has no known state yet.
        given().get("/api/v1/checks/" + quietId).then().statusCode(200)
                .body("state", nullValue()).body("healthy", nullValue());
        given().queryParam("from", t0.minusSeconds(60).toString()).get("/api/v1/checks/" + id + "/incidents")
                .then().statusCode(200).body("$", hasSize(0));
        given().queryParam("limit", 100).get("/api/v1/checks/" + id + "/history").then().statusCode(200)
                .body("results", hasSize(4))
                .body("results.state", contains("CLOSED", "UNKNOWN", "UNKNOWN", "CLOSED"))
                .body("results.reason", contains("port-unreachable", "icmp-rate-limited", "icmp-rate-limited",
                        "port-unreachable"))
                .body("results.healthy", contains(true, null, null, true));

        JsonPath waiting = uptime(id, hour, hour.plus(Duration.ofHours(1)));
        assertUptime(waiting, 2, 2);
        JsonPath quietWaiting = uptime(quietId, hour, hour.plus(Duration.ofHours(1)));
        assertEquals(0, quietWaiting.getLong("samples"));
        assertNull(quietWaiting.get("uptimePercent"), "only unknown results: no uptime, neither 0 % nor 100 %");
        assertEquals(1, quietWaiting.getLong("unknownSamples"));

        // The newest result is UNKNOWN: after the fold the check's observedAt is its time (the
        // check did report), while state, reason, health, latency and stateSince stay the last known.
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent));
            client.send(batch(6, List.of(unknown(dns, t0.plusSeconds(40), 2_000_000))));
            assertEquals(6L, client.next(WAIT).getAck().getSeq());
        }
        folder.foldNow();

        assertEquals(2, query("select coalesce(sum(samples), 0) from rollup_hourly where check_id = " + id));
        assertEquals(3, query("select coalesce(sum(unknown), 0) from rollup_hourly where check_id = " + id));
        assertEquals(3, query("select coalesce(sum(unknown), 0) from rollup_daily where check_id = " + id));
        assertEquals(0, query("select count(*) from result where check_id = " + id + " and state = 'UNKNOWN'"
                + " and healthy is not null"), "an UNKNOWN result's healthy is NULL");
        JsonPath folded = uptime(id, hour, hour.plus(Duration.ofHours(1)));
        assertUptime(folded, 2, 3);
        assertEquals(waiting.get("samplesByState").toString(), folded.get("samplesByState").toString());
        given().get("/api/v1/checks/" + id).then().statusCode(200)
                .body("state", equalTo("CLOSED")).body("reason", equalTo("port-unreachable"))
                .body("healthy", equalTo(true)).body("stateSince", equalTo(t0.toString()))
                .body("observedAt", equalTo(t0.plusSeconds(40).toString()))
                .body("latencyMs", equalTo(1.5f));
        given().queryParam("from", t0.minusSeconds(60).toString()).get("/api/v1/checks/" + id + "/incidents")
                .then().statusCode(200).body("$", hasSize(0));
    }

    /** An expect-open check: OPEN, then UNKNOWN, keeps OPEN and healthy; no incident. */
    @Test
    void anExpectOpenCheckStaysOpenThroughUnknownResults() throws Exception {
        String agent = "unknown-open";
        CheckInstance snmp = instance("snmp", "127.0.0.1", Protocol.UDP, 161, Expectation.EXPECT_OPEN);
        Instant t0 = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog(agent, List.of(snmp)));
            client.send(batch(1, List.of(result(snmp, PortState.OPEN, Reason.REPLY, t0.toEpochMilli()),
                    unknown(snmp, t0.plusSeconds(10), 1_000_000), unknown(snmp, t0.plusSeconds(20), 1_000_000))));
            assertEquals(1L, client.next(WAIT).getAck().getSeq());
        }
        long id = checkId(agent, "snmp");
        given().get("/api/v1/checks/" + id).then().statusCode(200)
                .body("state", equalTo("OPEN")).body("reason", equalTo("reply")).body("healthy", equalTo(true))
                .body("stateSince", equalTo(t0.toString()));
        given().queryParam("from", t0.minusSeconds(60).toString()).get("/api/v1/checks/" + id + "/incidents")
                .then().statusCode(200).body("$", hasSize(0));
        given().queryParam("from", t0.minusSeconds(60).toString()).queryParam("to", Instant.now().toString())
                .get("/api/v1/checks/" + id + "/uptime").then().statusCode(200)
                .body("samples", equalTo(1)).body("uptimePercent", equalTo(100.0f)).body("unknownSamples", equalTo(2));
    }

    private static void assertUptime(JsonPath uptime, long known, long unknown) {
        assertEquals(known, uptime.getLong("samples"));
        assertEquals(known, uptime.getLong("healthySamples"));
        assertEquals(100.0, uptime.getDouble("uptimePercent"));
        assertEquals(unknown, uptime.getLong("unknownSamples"));
        assertEquals(known, uptime.getLong("samplesByState.CLOSED"));
        assertNull(uptime.get("samplesByState.UNKNOWN"), "samplesByState counts the known states only");
        assertEquals(0, uptime.getLong("latency.samples") - known, "an UNKNOWN result measures no round trip");
    }

    private static ProbeResult closed(CheckInstance check, Instant at) {
        return result(check, PortState.CLOSED, Reason.PORT_UNREACHABLE, at.toEpochMilli());
    }

    private static ProbeResult unknown(CheckInstance check, Instant at, long latencyMicros) {
        return result(check, PortState.UNKNOWN, Reason.ICMP_RATE_LIMITED, at.toEpochMilli()).toBuilder()
                .setLatencyMicros(latencyMicros).build();
    }

    private static JsonPath uptime(long id, Instant from, Instant to) {
        return given().queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/api/v1/checks/" + id + "/uptime").then().statusCode(200).extract().jsonPath();
    }

    private long checkId(String agent, String name) throws SQLException {
        return query("select id from check_instance where agent_id = '" + agent + "' and check_name = '" + name + "'");
    }

    private long query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }
}
