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
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health follows what the check declared (issue 16 part 4): an expect-open check whose port
 * accepted the connection but failed the banner, the TLS handshake or tls_min_days is stored OPEN
 * and unhealthy, so its current state, uptime and incidents count it as down. An expect-closed
 * check keeps the state-only rule.
 */
@QuarkusTest
class DeclaredHealthIngestTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void openResultsThatFailedTheDeclaredExchangeAreStoredUnhealthy() throws Exception {
        String agent = "ingest-agent-declared";
        CheckInstance smtp = instance("smtp", "127.0.0.1", Protocol.TCP, 25, Expectation.EXPECT_OPEN);
        CheckInstance telnet = instance("no-telnet", "127.0.0.1", Protocol.TCP, 23, Expectation.EXPECT_CLOSED);
        long t0 = System.currentTimeMillis() - 600_000;
        long id;
        long closedId;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("declared", List.of(smtp, telnet)));
            client.send(batch(1, List.of(
                    result(smtp, PortState.OPEN, Reason.CONNECTED, t0),
                    result(smtp, PortState.OPEN, Reason.BANNER_MISMATCH, t0 + 10_000),
                    result(smtp, PortState.OPEN, Reason.TLS_FAILED, t0 + 20_000),
                    result(telnet, PortState.OPEN, Reason.BANNER_MISMATCH, t0),
                    result(telnet, PortState.CLOSED, Reason.REFUSED, t0 + 10_000))));
            assertEquals(1L, client.next(WAIT).getAck().getSeq());

            var checks = given().get("/api/v1/checks").jsonPath();
            id = IngestGrpcServiceTest.idOf(checks, agent, smtp);
            closedId = IngestGrpcServiceTest.idOf(checks, agent, telnet);
            given().get("/api/v1/checks/" + id).then().statusCode(200)
                    .body("state", equalTo("OPEN")).body("reason", equalTo("tls-failed"))
                    .body("healthy", equalTo(false));
            given().get("/api/v1/checks/" + closedId).then().statusCode(200)
                    .body("state", equalTo("CLOSED")).body("healthy", equalTo(true));

            client.send(batch(2, List.of(
                    result(smtp, PortState.OPEN, Reason.CERT_EXPIRING, t0 + 30_000),
                    result(smtp, PortState.OPEN, Reason.CONNECTED, t0 + 40_000))));
            assertEquals(2L, client.next(WAIT).getAck().getSeq());
        }

        given().get("/api/v1/checks/" + id).then().statusCode(200)
                .body("state", equalTo("OPEN")).body("reason", equalTo("connected")).body("healthy", equalTo(true));
        // History is newest first.
        given().queryParam("limit", 100).get("/api/v1/checks/" + id + "/history").then().statusCode(200)
                .body("results", hasSize(5))
                .body("results.state", contains("OPEN", "OPEN", "OPEN", "OPEN", "OPEN"))
                .body("results.reason", contains("connected", "cert-expiring", "tls-failed", "banner-mismatch",
                        "connected"))
                .body("results.healthy", contains(true, false, false, false, true));
        given().queryParam("limit", 100).get("/api/v1/checks/" + closedId + "/history").then().statusCode(200)
                .body("results.healthy", contains(true, false));
        given().queryParam("window", "24h").get("/api/v1/checks/" + id + "/uptime").then().statusCode(200)
                .body("samples", equalTo(5))
                .body("healthySamples", equalTo(2))
                .body("samplesByState.OPEN", equalTo(5));
        given().queryParam("from", Instant.ofEpochMilli(t0 - 60_000).toString())
                .get("/api/v1/checks/" + id + "/incidents").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].startedAt", equalTo(Instant.ofEpochMilli(t0 + 10_000).toString()))
                .body("[0].endedAt", equalTo(Instant.ofEpochMilli(t0 + 40_000).toString()))
                .body("[0].samples", equalTo(3))
                .body("[0].lastState", equalTo("OPEN"));
    }
}
