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

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batches sent back to back, without waiting for acks, may be stored together in one transaction
 * (AgentStream's group commit): each must still be acked by its own seq in order, stored once,
 * and add up exactly as if stored one by one.
 */
@QuarkusTest
class IngestPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void pipelinedBatchesAreAckedInOrderStoredOnceAndMergeExactly() throws Exception {
        String agent = "ingest-agent-pipelined";
        CheckInstance web = instance("piped", "127.0.0.1", Protocol.TCP, 9443, Expectation.EXPECT_OPEN);
        long t0 = System.currentTimeMillis() - 600_000;
        // Text that COPY's text format must escape.
        String awkward = "tab\there\nnew line \\ backslash \"quoted\"";
        List<AgentMessage> sent = List.of(
                batch(1, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0))),
                batch(2, List.of(result(web, PortState.FILTERED, Reason.TIMEOUT, t0 + 10_000),
                        result(web, PortState.FILTERED, Reason.TIMEOUT, t0 + 20_000))),
                batch(3, List.of(result(web, PortState.CLOSED, Reason.REFUSED, t0 + 30_000).toBuilder()
                        .setDetail(awkward).build())),
                batch(3, List.of(result(web, PortState.CLOSED, Reason.REFUSED, t0 + 30_000))), // re-sent
                batch(4, List.of()),
                batch(5, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0 + 50_000))));
        List<Long> acks = new ArrayList<>();
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web)));
            sent.forEach(client::send);
            for (int i = 0; i < sent.size(); i++) {
                acks.add(client.next(WAIT).getAck().getSeq());
            }
            // Late: older than the stored current state, whichever batches were stored together.
            client.send(batch(6, List.of(result(web, PortState.FILTERED, Reason.TIMEOUT, t0 + 40_000))));
            acks.add(client.next(WAIT).getAck().getSeq());
        }
        assertEquals(List.of(1L, 2L, 3L, 3L, 4L, 5L, 6L), acks);

        long id = IngestGrpcServiceTest.idOf(given().get("/api/v1/checks").jsonPath(), agent, web);
        // The late FILTERED result is history only: the newest result (OPEN at t0 + 50 s) stays current.
        given().get("/api/v1/checks/" + id).then().statusCode(200)
                .body("state", equalTo("OPEN")).body("healthy", equalTo(true));
        JsonPath history = given().queryParam("limit", 100).get("/api/v1/checks/" + id + "/history")
                .then().statusCode(200).body("results", hasSize(6))
                .body("results.state", contains("OPEN", "FILTERED", "CLOSED", "FILTERED", "FILTERED", "OPEN"))
                .extract().jsonPath();
        assertEquals(awkward, history.getString("results[2].detail"));
        given().queryParam("window", "24h").get("/api/v1/checks/" + id + "/uptime").then().statusCode(200)
                .body("samples", equalTo(6))
                .body("healthySamples", equalTo(2))
                .body("samplesByState.FILTERED", equalTo(3))
                .body("samplesByState.CLOSED", equalTo(1))
                .body("latency.samples", equalTo(3));
        // One incident from the first FILTERED to the OPEN that ended it; the late result is not in it.
        given().queryParam("from", java.time.Instant.ofEpochMilli(t0 - 60_000).toString())
                .get("/api/v1/checks/" + id + "/incidents").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].startedAt", equalTo(java.time.Instant.ofEpochMilli(t0 + 10_000).toString()))
                .body("[0].endedAt", equalTo(java.time.Instant.ofEpochMilli(t0 + 50_000).toString()))
                .body("[0].samples", equalTo(3))
                .body("[0].lastState", equalTo("CLOSED"));
    }
}
