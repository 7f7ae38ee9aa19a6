package io.portwatch.collector.rest;

import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.restassured.RestAssured.given;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Makes one check instance exist by sending a catalog over gRPC, as an agent would. */
final class CheckFixture {

    private static final String AGENT = "fixture-agent";

    private CheckFixture() {}

    static long ensureOne() {
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(AGENT)).send(catalog("fixture", List.of(
                    instance("fixture", "127.0.0.1", Protocol.TCP, 9, Expectation.EXPECT_OPEN))));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (Instant.now().isBefore(deadline)) {
                List<Integer> ids = given().get("/api/v1/checks").jsonPath()
                        .getList("findAll { it.agentId == '" + AGENT + "' }.id");
                if (!ids.isEmpty()) {
                    return ids.get(0);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the fixture check did not appear within 10 s");
    }
}
