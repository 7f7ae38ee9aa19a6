package io.portwatch.collector.input;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.collector.security.ApiKeyRequests;
import io.portwatch.collector.security.Role;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.ProbeResult;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hostile inputs of issue #14, one by one: each refused with the field and the rule, never a 5xx. */
@QuarkusTest
@TestProfile(HostileInputProfile.class)
class HostileInputExamplesTest extends ApiKeyRequests {

    HostileInputExamplesTest() {
        super(Role.ADMIN); // writes need a key
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    AgroalDataSource dataSource;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/v1/agents/%00                  | agent id \"\\u0000\": control character U+0000 at character 1",
        "/api/v1/targets/%00                 | host \"\\u0000\": control character U+0000 at character 1",
        "/api/v1/targets/a%1Bb               | host \"a\\u001bb\": control character U+001B at character 2",
        "/api/v1/alert-rules/%00             | rule name \"\\u0000\": control character U+0000 at character 1",
        "/api/v1/checks?agent=x%00           | agent \"x\\u0000\": control character U+0000 at character 2",
        "/api/v1/checks?target=%7F           | target \"\\u007f\": control character U+007F at character 1",
        "/api/v1/checks/%00                  | check id \"\\u0000\" is not a positive integer",
    })
    void controlCharactersInParametersAre400Problems(String path, String detail) {
        given().urlEncodingEnabled(false).when().get(path).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", equalTo(detail));
    }

    @Test
    void tooLongParametersAre400ProblemsQuotingOnlyTheirStart() {
        String id = "a".repeat(129);
        given().get("/api/v1/agents/" + id).then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("agent id \"" + "a".repeat(64) + "\"… (129 characters): 129 characters, at most 128"));
        given().queryParam("target", "h".repeat(254)).get("/api/v1/checks").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.endsWith(": 254 characters, at most 253"));
    }

    @Test
    void aNulEscapedInAJsonBodyIsA400NamingTheField() {
        String silence = "{\"matchers\": {\"agent\": \"x\"}, \"endsAt\": \"2099-01-01T00:00:00Z\","
                + " \"comment\": \"a\\u0000b\", \"createdBy\": \"test\"}";
        given().contentType("application/json").body(silence).post("/api/v1/silences").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("silence: comment: control character U+0000 at character 2"));
        String rule = "{\"name\": \"r\", \"match\": {\"target\": \"\\u0001\"}}";
        given().contentType("application/json").body(rule).post("/api/v1/alert-rules").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("rule \"r\": match.target: control character U+0001 at character 1"));
    }

    @Test
    void aHelloWithANulInItsAgentIdIsRefusedNamingTheField() throws Exception {
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("bad\u0000agent"));
            assertRefused(client, "hello.agent_id: control character U+0000 at character 4");
        }
        given().get("/api/v1/agents").then().statusCode(200).body("findAll { it.id.startsWith('bad') }", hasSize(0));
    }

    @Test
    void aCatalogBreakingALimitIsRefusedNamingTheInstanceAndField() throws Exception {
        CheckInstance ok = instance("web", "127.0.0.1", Protocol.TCP, 80, Expectation.EXPECT_OPEN);
        CheckInstance longTarget = instance("web", "t".repeat(300), Protocol.TCP, 80, Expectation.EXPECT_OPEN);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("hostile-catalog")).send(catalog("h", List.of(ok, ok, longTarget)));
            assertRefused(client, "catalog.instances[1].key: the same key as catalog.instances[0]");
        }
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("hostile-catalog")).send(catalog("h", List.of(ok, longTarget)));
            assertRefused(client, "catalog.instances[1].target: 300 characters, at most 253");
        }
        CheckInstance labelled = ok.toBuilder().putLabels("team", "v".repeat(257)).build();
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("hostile-catalog")).send(catalog("h", List.of(labelled)));
            assertRefused(client, "catalog.instances[0].labels[\"team\"]: 257 characters, at most 256");
        }
        List<CheckInstance> many = new ArrayList<>();
        for (int i = 0; i <= HostileInputProfile.INSTANCES; i++) {
            many.add(instance("c" + i, "127.0.0.1", Protocol.TCP, i, Expectation.EXPECT_OPEN));
        }
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("hostile-catalog")).send(catalog("h", many));
            assertRefused(client, "catalog.instances: 51 entries, at most 50");
        }
    }

    /** What an agent stored before it broke a limit stays stored: the refused batch rolls back alone. */
    @Test
    void aBatchBreakingALimitIsRefusedAndTheBatchesBeforeItStayStored() throws Exception {
        String agent = "hostile-batch";
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
        long t0 = System.currentTimeMillis() - 5_000;
        ProbeResult good = result(web, PortState.OPEN, Reason.CONNECTED, t0);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web)));
            client.send(batch(1, List.of(good)));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
            // Sent back to back, so they may be stored as one group: 2 is stored all the same.
            client.send(batch(2, List.of(good.toBuilder().setObservedAtMs(t0 + 1).build())));
            client.send(batch(3, List.of(good, good.toBuilder().setDetail("refused\u0000").build())));
            assertEquals(2, client.next(WAIT).getAck().getSeq());
            assertRefused(client, "batch(seq 3).results[1].detail: control character U+0000 at character 8");
        }
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web)));
            client.send(batch(4, Collections.nCopies(HostileInputProfile.RESULTS + 1, good)));
            assertRefused(client, "batch(seq 4).results: 51 entries, at most 50");
        }
        long id = given().queryParam("agent", agent).get("/api/v1/checks").jsonPath().getLong("[0].id");
        given().get("/api/v1/checks/" + id + "/history").then().statusCode(200).body("results", hasSize(2));
    }

    /**
     * Results for keys its catalog lacks make check rows; past the agent's limit the batch that
     * would make one too many is refused, and the batches ahead of it (even in the same
     * transaction) stay stored. A catalog cannot go past the limit either: rows it no longer lists
     * keep their history, so they count.
     */
    @Test
    void checkInstancesPerAgentAreBoundedForResultsAndCatalogs() throws Exception {
        String agent = "hostile-checks";
        CheckInstance web = instance("web", "127.0.0.1", Protocol.TCP, 8080, Expectation.EXPECT_OPEN);
        long t0 = System.currentTimeMillis() - 5_000;
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web)));
            client.send(batch(1, unknownKeys(0, HostileInputProfile.RESULTS, t0)));
            assertEquals(1, client.next(WAIT).getAck().getSeq());
            // Batch 2 waits for the agent row's lock while 3 and 4 queue behind it, so those two
            // share one transaction: 1 + 50 + 50 rows after 3, and 4's 20th new key would be the
            // 121st. That transaction rolls back; 3 must be stored again all the same.
            try (Connection lock = dataSource.getConnection()) {
                lock.setAutoCommit(false);
                try (PreparedStatement ps = lock.prepareStatement("select 1 from agent where id = ? for update")) {
                    ps.setString(1, agent);
                    ps.executeQuery().close();
                }
                client.send(batch(2, List.of(result(web, PortState.OPEN, Reason.CONNECTED, t0))));
                awaitLockWaiter();
                client.send(batch(3, unknownKeys(100, HostileInputProfile.RESULTS, t0)));
                client.send(batch(4, unknownKeys(200, HostileInputProfile.RESULTS, t0)));
                Thread.sleep(500);
                lock.rollback();
            }
            assertEquals(2, client.next(WAIT).getAck().getSeq());
            assertEquals(3, client.next(WAIT).getAck().getSeq());
            assertRefused(client, "batch(seq 4).results[19].instance_key: agent \"hostile-checks\" has 120 check"
                    + " instances, at most 120");
        }
        given().queryParam("agent", agent).get("/api/v1/checks").then().statusCode(200).body("$", hasSize(101));
        given().queryParam("agent", agent).queryParam("target", "k200.test").get("/api/v1/checks").then()
                .statusCode(200).body("$", hasSize(0));

        List<CheckInstance> other = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            other.add(instance("new" + i, "127.0.0.1", Protocol.TCP, 9000 + i, Expectation.EXPECT_OPEN));
        }
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h2", other));
            assertRefused(client, "catalog.instances: 20 entries and agent \"hostile-checks\" has 101 other check"
                    + " instances, at most 120 in all");
        }
        // The agent keeps working within its limit: its own catalog again, results for known keys.
        ProbeResult known = result(web, PortState.OPEN, Reason.CONNECTED, t0 + 1);
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog("h", List.of(web))).send(batch(4, List.of(known)));
            assertEquals(4, client.next(WAIT).getAck().getSeq());
        }
        given().queryParam("agent", agent).get("/api/v1/checks").then().statusCode(200).body("$", hasSize(101));
    }

    /** Until a session waits for a row lock (the ingest's update of the agent row), at most 10 s. */
    private void awaitLockWaiter() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from pg_stat_activity"
                        + " where wait_event_type = 'Lock' and query like 'update agent%'")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the ingest never waited for the agent row's lock");
    }

    /** {@code count} results, each for a key no catalog listed: {@code k<from + i>|k<from + i>.test|tcp|1}. */
    private static List<ProbeResult> unknownKeys(int from, int count, long at) {
        List<ProbeResult> results = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            CheckInstance unlisted = instance("k" + i, "k" + i + ".test", Protocol.TCP, 1, Expectation.EXPECT_OPEN);
            results.add(result(unlisted, PortState.OPEN, Reason.CONNECTED, at));
        }
        return results;
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedAsResourceExhausted() throws Exception {
        AgentMessage huge = hello("hostile-huge").toBuilder()
                .setHello(hello("hostile-huge").getHello().toBuilder().setVersion("v".repeat(HostileInputProfile.MAX_MESSAGE_BYTES)))
                .build();
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(huge);
            Throwable error = client.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, error);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getStatus().getCode(), status.toString());
        }
    }

    /** Refused as the protocol says: a Reject naming the field and the rule, then INVALID_ARGUMENT with the same text. */
    static void assertRefused(AgentStreamClient client, String reason) throws Exception {
        CollectorMessage reject = client.next(WAIT);
        assertEquals(reason, reject.getReject().getReason(), reject.toString());
        Throwable error = client.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, error);
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
        assertEquals(reason, status.getStatus().getDescription());
    }
}
