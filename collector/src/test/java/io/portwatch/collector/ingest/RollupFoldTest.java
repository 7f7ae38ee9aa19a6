package io.portwatch.collector.ingest;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.quarkus.test.junit.QuarkusTestProfile;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rollup folder, driven by hand (its own timer is off in this profile): reads are exact while
 * results wait in the backlog, a fold adds each block once, blocks a crashed collector held are
 * recovered once, a fold that finds a block folded elsewhere adds none of its sums, and the
 * current state never moves back for a late result that only the folder's memory knows is late.
 */
@QuarkusTest
@TestProfile(RollupFoldTest.ManualFolds.class)
class RollupFoldTest {

    public static class ManualFolds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portwatch.rollups.fold-interval", "1h", "portwatch.rollups.fold-rows", "100000000",
                    "portwatch.rollups.orphan-after", "1h", "portwatch.rollups.recover-interval", "1h");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Random random = new Random(11);

    @Inject
    RollupFolder folder;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void uptimeIsExactWhileResultsWaitAndTheFoldAddsEachBlockOnce() throws Exception {
        String agent = "fold-exact";
        CheckInstance check = instance("fold-exact", "127.0.0.1", Protocol.TCP, 8443, Expectation.EXPECT_OPEN);
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(30));
        List<ProbeResult> sent = send(agent, check, start, 3, 200);
        long id = checkId(agent);

        assertEquals(3, backlogBlocks(agent), "one block per stored batch; the re-sent one stored none");
        assertEquals(0, rollupSamples("rollup_hourly", id), "nothing folded yet");
        JsonPath waiting = uptime(id, start.minusSeconds(1), Instant.now());
        assertEquals(sent.size(), waiting.getLong("samples"), "pending results are counted");
        assertEquals(healthy(sent), waiting.getLong("healthySamples"));

        folder.foldNow();

        assertEquals(0, backlogBlocks(agent));
        assertEquals(sent.size(), rollupSamples("rollup_hourly", id));
        assertEquals(sent.size(), rollupSamples("rollup_daily", id));
        JsonPath folded = uptime(id, start.minusSeconds(1), Instant.now());
        for (String field : List.of("samples", "healthySamples", "uptimePercent", "samplesByState", "latency")) {
            assertEquals(waiting.get(field).toString(), folded.get(field).toString(), field + " before and after the fold");
        }
        // The newest result's time and latency reached the check with the fold.
        ProbeResult newest = sent.stream().max((a, b) -> Long.compare(a.getObservedAtMs(), b.getObservedAtMs())).orElseThrow();
        JsonPath view = given().get("/api/v1/checks/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(Instant.ofEpochMilli(newest.getObservedAtMs()), Instant.parse(view.getString("observedAt")));
        assertEquals(newest.getLatencyMicros() / 1000.0, view.getDouble("latencyMs"), 1e-9);
    }

    @Test
    void blocksACrashedCollectorHeldAreRecoveredOnceAndHeldOnesAreLeftAlone() throws Exception {
        String agent = "fold-crash";
        CheckInstance check = instance("fold-crash", "127.0.0.1", Protocol.TCP, 8444, Expectation.EXPECT_OPEN);
        Instant start = Instant.now().minus(Duration.ofHours(5));
        List<ProbeResult> lost = send(agent, check, start, 2, 150);
        folder.forget(); // as a crash would: committed, in the backlog, in nobody's memory
        long id = checkId(agent);
        List<ProbeResult> held;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent));
            held = results(check, start.plus(Duration.ofHours(2)), 100);
            client.send(batch(100, held));
            assertEquals(100, client.next(WAIT).getAck().getSeq());
        }
        assertEquals(3, backlogBlocks(agent));
        assertEquals(lost.size() + held.size(), uptime(id, start.minusSeconds(1), Instant.now()).getLong("samples"));

        assertEquals(lost.size(), folder.recover(Duration.ZERO), "only the blocks no fold holds");
        assertEquals(1, backlogBlocks(agent));
        assertEquals(lost.size(), rollupSamples("rollup_hourly", id));
        assertEquals(0, folder.recover(Duration.ZERO), "recovered once");

        folder.foldNow();
        assertEquals(0, backlogBlocks(agent));
        assertEquals(lost.size() + held.size(), rollupSamples("rollup_hourly", id));
        assertEquals(lost.size() + held.size(), rollupSamples("rollup_daily", id));
        assertEquals(lost.size() + held.size(), uptime(id, start.minusSeconds(1), Instant.now()).getLong("samples"));
    }

    @Test
    void aFoldThatFindsABlockFoldedElsewhereAddsNothing() throws Exception {
        String agent = "fold-elsewhere";
        CheckInstance check = instance("fold-elsewhere", "127.0.0.1", Protocol.TCP, 8445, Expectation.EXPECT_OPEN);
        Instant start = Instant.now().minus(Duration.ofHours(3));
        List<ProbeResult> sent = send(agent, check, start, 2, 50);
        long id = checkId(agent);
        // Another replica took the first block: it deleted the backlog row (and folded it there).
        sql("delete from rollup_backlog where first_id = (select min(first_id) from rollup_backlog where agent_id = '"
                + agent + "')");

        folder.foldNow();

        assertEquals(0, rollupSamples("rollup_hourly", id), "the fold rolled back as a whole");
        assertEquals(1, backlogBlocks(agent), "the other block waits for recovery");
        assertEquals(sent.size() / 2, folder.recover(Duration.ZERO));
        assertEquals(sent.size() / 2, rollupSamples("rollup_hourly", id));
    }

    @Test
    void aResultOlderThanAnUnfoldedNewerOneIsLateForTheCurrentState() throws Exception {
        String agent = "fold-late";
        CheckInstance check = instance("fold-late", "127.0.0.1", Protocol.TCP, 8446, Expectation.EXPECT_OPEN);
        Instant t0 = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("late", List.of(check)));
            // t0 open (first: written to the check), t0+60 open (same state: only the folder knows it),
            // then t0+30 closed: older than the newest result, so history only.
            long seq = 0;
            for (var r : List.of(result(check, PortState.OPEN, Reason.CONNECTED, t0.toEpochMilli()),
                    result(check, PortState.OPEN, Reason.CONNECTED, t0.plusSeconds(60).toEpochMilli()),
                    result(check, PortState.CLOSED, Reason.REFUSED, t0.plusSeconds(30).toEpochMilli()))) {
                client.send(batch(++seq, List.of(r)));
                assertEquals(seq, client.next(WAIT).getAck().getSeq());
            }
        }
        long id = checkId(agent);
        JsonPath view = given().get("/api/v1/checks/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("OPEN", view.getString("state"));
        assertEquals(0, given().queryParam("from", t0.minusSeconds(60).toString()).get("/api/v1/checks/" + id + "/incidents")
                .then().statusCode(200).extract().jsonPath().getList("$").size(), "a late result opens no incident");
        folder.foldNow();
        view = given().get("/api/v1/checks/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("OPEN", view.getString("state"));
        assertEquals(t0.plusSeconds(60), Instant.parse(view.getString("observedAt")));
    }

    /** Sends {@code batches} batches of {@code perBatch} results from {@code start}, the first one twice. */
    private List<ProbeResult> send(String agent, CheckInstance check, Instant start, int batches, int perBatch)
            throws Exception {
        List<ProbeResult> sent = new ArrayList<>();
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog(agent, List.of(check)));
            for (int b = 1; b <= batches; b++) {
                List<ProbeResult> results = results(check, start.plus(Duration.ofMinutes(90L * (b - 1))), perBatch);
                sent.addAll(results);
                client.send(batch(b, results));
                assertEquals(b, client.next(WAIT).getAck().getSeq());
                if (b == 1) {
                    client.send(batch(b, results));
                    assertEquals(b, client.next(WAIT).getAck().getSeq());
                }
            }
        }
        return sent;
    }

    /** Results 20 s apart: random states and latencies. */
    private List<ProbeResult> results(CheckInstance check, Instant from, int n) {
        List<ProbeResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int roll = random.nextInt(10);
            PortState state = roll < 7 ? PortState.OPEN : roll < 9 ? PortState.CLOSED : PortState.FILTERED;
            out.add(result(check, state, Reason.CONNECTED, from.plusSeconds(20L * i).toEpochMilli()).toBuilder()
                    .setLatencyMicros(100 + random.nextInt(50_000)).build());
        }
        return out;
    }

    private static long healthy(List<ProbeResult> sent) {
        return sent.stream().filter(r -> r.getState() == PortState.OPEN).count();
    }

    private static JsonPath uptime(long id, Instant from, Instant to) {
        return given().queryParam("from", from.toString()).queryParam("to", to.toString())
                .get("/api/v1/checks/" + id + "/uptime").then().statusCode(200).extract().jsonPath();
    }

    private long checkId(String agent) throws SQLException {
        return query("select id from check_instance where agent_id = '" + agent + "'");
    }

    private long backlogBlocks(String agent) throws SQLException {
        return query("select count(*) from rollup_backlog where agent_id = '" + agent + "'");
    }

    private long rollupSamples(String table, long checkId) throws SQLException {
        return query("select coalesce(sum(samples), 0) from " + table + " where check_id = " + checkId);
    }

    private long query(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }
}
