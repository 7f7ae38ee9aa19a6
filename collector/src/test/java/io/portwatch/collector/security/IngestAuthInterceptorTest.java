package io.portwatch.collector.security;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.hello;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.portwatch.collector.AgentStreamClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ingest credentials over a real gRPC stream: the shared token, per-agent tokens created and revoked
 * through the REST API, and no credential with anonymous streams not allowed.
 */
@QuarkusTest
@TestProfile(IngestAuthInterceptorTest.WithToken.class)
class IngestAuthInterceptorTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portwatch.ingest.token", "s3cret-token", "portwatch.ingest.allow-anonymous", "false");
        }
    }

    private static StatusRuntimeException refusal(AgentStreamClient client) throws Exception {
        Throwable error = client.ended.get(10, TimeUnit.SECONDS);
        return assertInstanceOf(StatusRuntimeException.class, error);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"wrong", "s3cret-token-but-longer", "", "pwa_not-a-real-token"})
    void streamsWithoutAValidTokenAreRefused(String token) throws Exception {
        double before = refusedStreams();
        try (AgentStreamClient client = new AgentStreamClient(token)) {
            client.send(hello("intruder"));
            StatusRuntimeException status = refusal(client);
            assertEquals(Status.Code.UNAUTHENTICATED, status.getStatus().getCode());
            if (token == null) {
                assertEquals(IngestAuthInterceptor.NO_CREDENTIAL, status.getStatus().getDescription());
            }
        }
        assertEquals(before + 1, refusedStreams(), "each refusal is counted");
    }

    private static double refusedStreams() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("portwatch_ingest_refused_streams_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void theSharedTokenIsAcceptedForAnyAgent() throws Exception {
        for (String agent : List.of("trusted", "another")) {
            try (AgentStreamClient client = new AgentStreamClient("s3cret-token")) {
                client.send(hello(agent)).send(batch(1, List.of()));
                assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq());
            }
        }
    }

    @Test
    @TestSecurity(user = "root", roles = Role.Names.ADMIN)
    void aPerAgentTokenSendsAsItsAgentOnly() throws Exception {
        String secret = createToken("edge-1").getString("secret");
        try (AgentStreamClient client = new AgentStreamClient(secret)) {
            client.send(hello("edge-1")).send(batch(1, List.of()));
            assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq());
        }
        try (AgentStreamClient client = new AgentStreamClient(secret)) {
            client.send(hello("edge-2"));
            StatusRuntimeException status = refusal(client);
            assertEquals(Status.Code.PERMISSION_DENIED, status.getStatus().getCode());
            assertTrue(status.getStatus().getDescription().startsWith(
                    "agent id 'edge-2' in Hello does not match 'edge-1' bound to token "), status.getStatus().getDescription());
        }
    }

    @Test
    @TestSecurity(user = "root", roles = Role.Names.ADMIN)
    void aRevokedTokenIsRefusedAndItsLiveStreamEnds() throws Exception {
        JsonPath created = createToken("edge-3");
        String secret = created.getString("secret");
        long id = created.getLong("id");
        try (AgentStreamClient live = new AgentStreamClient(secret)) {
            live.send(hello("edge-3")).send(batch(1, List.of()));
            assertEquals(1, live.next(Duration.ofSeconds(10)).getAck().getSeq());

            given().delete("/api/v1/agents/edge-3/tokens/" + id).then().statusCode(204);
            given().delete("/api/v1/agents/edge-3/tokens/" + id).then().statusCode(409)
                    .body("detail", org.hamcrest.Matchers.equalTo("token " + id + " of agent edge-3 is already revoked"));

            StatusRuntimeException ended = refusal(live);
            assertEquals(Status.Code.UNAUTHENTICATED, ended.getStatus().getCode());
            assertEquals("agent token " + id + " was revoked", ended.getStatus().getDescription());
        }
        try (AgentStreamClient client = new AgentStreamClient(secret)) {
            client.send(hello("edge-3"));
            StatusRuntimeException status = refusal(client);
            assertEquals(Status.Code.UNAUTHENTICATED, status.getStatus().getCode());
            assertTrue(status.getStatus().getDescription().startsWith("unknown or revoked agent token pwa_"));
        }
        JsonPath listed = given().get("/api/v1/agents/edge-3/tokens").then().statusCode(200).extract().jsonPath();
        assertEquals(id, listed.getLong("[0].id"));
        assertFalse(listed.getString("[0].revokedAt") == null);
        assertNull(listed.get("[0].secret"), "lists never carry the secret");
    }

    @Test
    @TestSecurity(user = "root", roles = Role.Names.ADMIN)
    void tokensAreShownOnceAndListedByHint() {
        JsonPath created = createToken("edge-4");
        String secret = created.getString("secret");
        assertTrue(secret.startsWith("pwa_") && secret.length() > 40, secret);
        given().get("/api/v1/agents/edge-4/tokens").then().statusCode(200)
                .body("[0].hint", startsWith(secret.substring(0, 8)))
                .body("[0].createdBy", org.hamcrest.Matchers.equalTo("root"));
        given().get("/api/v1/agents/edge-4/tokens").then().body(org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.containsString(secret)));
    }

    @Test
    @TestSecurity(user = "root", roles = Role.Names.ADMIN)
    void badAgentIdsAndUnknownTokensAreProblems() {
        given().post("/api/v1/agents/" + "x".repeat(200) + "/tokens").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("agent"));
        given().delete("/api/v1/agents/edge-5/tokens/987654").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.equalTo("agent edge-5 has no token with id 987654"));
    }

    @Test
    @TestSecurity(user = "watcher", roles = Role.Names.VIEWER)
    void onlyAdminsManageTokens() {
        given().post("/api/v1/agents/edge-6/tokens").then().statusCode(403);
        given().get("/api/v1/agents/edge-6/tokens").then().statusCode(403);
    }

    private static JsonPath createToken(String agent) {
        return given().post("/api/v1/agents/" + agent + "/tokens").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/agents/" + agent + "/tokens/"))
                .extract().jsonPath();
    }
}
