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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IngestGrpcServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void storedBatchesAndResultsAreCountedOnceOnTheMetricsEndpoint() throws Exception {
        String agent = "ingest-metrics-agent";
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 8081, Expectation.EXPECT_OPEN);
        CheckInstance api = instance("api", "127.0.0.1", Protocol.TCP, 8082, Expectation.EXPECT_OPEN);
        double batchesBefore = metric("portwatch_ingest_batches_total");
        double resultsBefore = metric("portwatch_ingest_results_total");
        long t0 = System.currentTimeMillis() - 5_000;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("hash-m", List.of(web, api)));
            client.send(batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0),
                    result(api, PortState.CLOSED, Reason.REFUSED, t0))));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
            // Re-sent: acked again, not counted again.
            client.send(batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0),
                    result(api, PortState.CLOSED, Reason.REFUSED, t0))));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
        }
        assertEquals(1.0, metric("portwatch_ingest_batches_total") - batchesBefore, "batches counted");
        assertEquals(2.0, metric("portwatch_ingest_results_total") - resultsBefore, "results counted");
        org.junit.jupiter.api.Assertions.assertTrue(metric("portwatch_ingest_store_seconds_count") >= 2, "both stores timed");
    }

    /** The value of an unlabelled sample on /q/metrics (0 when not exported yet). */
    private static double metric(String name) {
        String body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void batchesShowUpAsCurrentStateAndHistoryAndSameSeqIsStoredOnce() throws Exception {
        String agent = "ingest-agent-1";
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
        CheckInstance telnet = instance("no-telnet", "127.0.0.1", Protocol.TCP, 23, Expectation.EXPECT_CLOSED);
        CheckInstance dns = instance("dns", "127.0.0.1", Protocol.UDP, 53, Expectation.EXPECT_OPEN);
        long t0 = System.currentTimeMillis() - 5_000;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("hash-1", List.of(web, telnet, dns)));
            client.send(batch(1, List.of(
                    result(web, PortState.OPEN, Reason.CONNECTED, t0),
                    result(telnet, PortState.CLOSED, Reason.REFUSED, t0),
                    result(dns, PortState.OPEN_FILTERED, Reason.NO_REPLY, t0))));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
            client.send(batch(2, List.of(result(web, PortState.CLOSED, Reason.REFUSED, t0 + 1000))));
            assertEquals(2, client.next(WAIT).getAck().getSeq());
            // A re-sent batch (the agent missed the ack) is acked again but stored once.
            client.send(batch(2, List.of(result(web, PortState.CLOSED, Reason.REFUSED, t0 + 1000))));
            assertEquals(2, client.next(WAIT).getAck().getSeq());
        }

        JsonPath checks = given().when().get("/api/v1/checks").then().statusCode(200).extract().jsonPath();
        long webId = idOf(checks, agent, web);
        given().when().get("/api/v1/checks/" + webId).then().statusCode(200)
                .body("state", equalTo("CLOSED"))
                .body("reason", equalTo("refused"))
                .body("healthy", equalTo(false))
                .body("address", equalTo("127.0.0.1"))
                .body("latencyMs", equalTo(1.5f));
        given().when().get("/api/v1/checks/" + idOf(checks, agent, telnet)).then()
                .body("state", equalTo("CLOSED")).body("healthy", equalTo(true)).body("expect", equalTo("CLOSED"));
        given().when().get("/api/v1/checks/" + idOf(checks, agent, dns)).then()
                .body("state", equalTo("OPEN_FILTERED")).body("reason", equalTo("no-reply")).body("healthy", equalTo(false));

        given().when().get("/api/v1/checks/" + webId + "/history").then().statusCode(200)
                .body("results", hasSize(2))
                .body("results.state", contains("CLOSED", "OPEN"))
                .body("nextCursor", equalTo(null));
        given().when().get("/api/v1/checks/" + webId + "/uptime?window=24h").then().statusCode(200)
                .body("samples", equalTo(2))
                .body("healthySamples", equalTo(1))
                .body("uptimePercent", equalTo(50.0f))
                .body("samplesByState.OPEN", equalTo(1))
                .body("samplesByState.CLOSED", equalTo(1));
        given().when().get("/api/v1/agents/" + agent).then().statusCode(200)
                .body("host", equalTo(agent + ".test"))
                .body("configHash", equalTo("hash-1"))
                .body("checks", equalTo(3));
    }

    @Test
    void historyPagesByCursorNewestFirstWithoutGapsOrRepeats() throws Exception {
        String agent = "ingest-agent-paging";
        CheckInstance web = instance("paged", "127.0.0.1", Protocol.TCP, 8081, Expectation.EXPECT_OPEN);
        long t0 = System.currentTimeMillis() - 60_000;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web)));
            // Pairs of equal timestamps: the cursor must not skip or repeat either of them.
            client.send(batch(1, List.of(
                    result(web, PortState.OPEN, Reason.CONNECTED, t0),
                    result(web, PortState.OPEN, Reason.CONNECTED, t0),
                    result(web, PortState.CLOSED, Reason.REFUSED, t0 + 1000),
                    result(web, PortState.CLOSED, Reason.REFUSED, t0 + 1000),
                    result(web, PortState.OPEN, Reason.CONNECTED, t0 + 2000))));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
        }
        long id = idOf(given().get("/api/v1/checks").jsonPath(), agent, web);
        JsonPath p1 = given().get("/api/v1/checks/" + id + "/history?limit=2").then().statusCode(200)
                .body("results", hasSize(2)).extract().jsonPath();
        JsonPath p2 = given().queryParam("limit", 2).queryParam("cursor", p1.getString("nextCursor"))
                .get("/api/v1/checks/" + id + "/history").then().statusCode(200)
                .body("results", hasSize(2)).extract().jsonPath();
        given().queryParam("limit", 2).queryParam("cursor", p2.getString("nextCursor"))
                .get("/api/v1/checks/" + id + "/history").then().statusCode(200)
                .body("results", hasSize(1))
                .body("results[0].state", equalTo("OPEN"))
                .body("nextCursor", equalTo(null));
        assertEquals(List.of("OPEN", "CLOSED"), p1.getList("results.state"));
        assertEquals(List.of("CLOSED", "OPEN"), p2.getList("results.state"));
    }

    @Test
    void aResultTheCollectorCannotStoreIsSkippedAndTheRestOfTheBatchIsStoredAndAcked() throws Exception {
        String agent = "ingest-agent-bad-result";
        CheckInstance web = instance("good", "127.0.0.1", Protocol.TCP, 8082, Expectation.EXPECT_OPEN);
        long now = System.currentTimeMillis();
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web)));
            client.send(batch(1, List.of(
                    result(web, PortState.STATE_UNSPECIFIED, Reason.CONNECTED, now),
                    result(web, PortState.OPEN, Reason.CONNECTED, now).toBuilder().setInstanceKey("no-pipes").build(),
                    result(web, PortState.OPEN, Reason.CONNECTED, now))));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
        }
        long id = idOf(given().get("/api/v1/checks").jsonPath(), agent, web);
        given().get("/api/v1/checks/" + id + "/history").then().statusCode(200)
                .body("results", hasSize(1)).body("results[0].state", equalTo("OPEN"));
    }

    @Test
    void aBatchBeforeHelloFailsTheStream() throws Exception {
        CheckInstance web = instance("x", "127.0.0.1", Protocol.TCP, 1, Expectation.EXPECT_OPEN);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, 0))));
            Throwable error = client.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, error);
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
            assertEquals("the first message of a stream must be Hello", status.getStatus().getDescription());
        }
    }

    static long idOf(JsonPath checks, String agent, CheckInstance instance) {
        List<Integer> ids = checks.getList(
                "findAll { it.agentId == '" + agent + "' && it.key == '" + instance.getKey() + "' }.id");
        assertEquals(1, ids.size(), "check " + instance.getKey() + " of " + agent);
        return ids.get(0);
    }
}
