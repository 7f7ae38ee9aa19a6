package io.portwatch.collector.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.portwatch.collector.AgentStreamClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens against the real app: signature, expiry and issuer are checked, and the
 * token's groups claim maps to Portwatch roles through quarkus.http.auth.roles-mapping.
 */
@QuarkusTest
@TestProfile(OidcTestProfile.class)
class OidcBearerTest {

    @Inject
    AgentTokenService agentTokens;

    @Test
    void agentStreamsWithTheSharedOrAPerAgentTokenAreNotTakenForOidcTokens() throws Exception {
        String perAgent = agentTokens.create("oidc-site-agent", "test").secret();
        for (var credential : Map.of("oidc-site-shared-token", "shared-agent", perAgent, "oidc-site-agent").entrySet()) {
            try (AgentStreamClient client = new AgentStreamClient(credential.getKey())) {
                client.send(hello(credential.getValue())).send(batch(1, List.of()));
                assertEquals(1, client.next(Duration.ofSeconds(10)).getAck().getSeq(), credential.getValue());
            }
        }
        try (AgentStreamClient client = new AgentStreamClient(token("carol", Set.of("portwatch-admins"), OidcTestProfile.privateKey()))) {
            client.send(hello("carol-agent"));
            StatusRuntimeException refused = assertInstanceOf(StatusRuntimeException.class, client.ended.get(10, TimeUnit.SECONDS));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), "a user's OIDC token is no agent credential");
        }
    }

    @Test
    void anApiKeyStillWorksBesideOidc() {
        given().auth().oauth2(TestKeys.secret(Role.VIEWER)).when().get("/api/v1/checks").then().statusCode(200);
        given().auth().oauth2(TestKeys.secret(Role.VIEWER)).when().get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void anAdminGroupReadsTheAuditLog() {
        given().auth().oauth2(token("carol", Set.of("portwatch-admins"), OidcTestProfile.privateKey()))
                .when().get("/api/v1/audit").then().statusCode(200);
    }

    @Test
    void aWriteWithATokenIsRecordedAsItsUserByOidc() {
        String admin = token("carol", Set.of("portwatch-admins"), OidcTestProfile.privateKey());
        int id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("matchers", Map.of("target", "oidc.test"), "endsAt", "2099-01-01T00:00:00Z",
                        "comment", "change window", "createdBy", "carol"))
                .when().post("/api/v1/silences").then().statusCode(201).extract().path("id");
        List<Map<String, Object>> entries = given().auth().oauth2(admin)
                .when().get("/api/v1/audit?action=silence.create&limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("entries");
        Map<String, Object> mine = entries.stream().filter(e -> ("silence/" + id).equals(e.get("target")))
                .findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals("carol", mine.get("actor"));
        org.junit.jupiter.api.Assertions.assertEquals("oidc", mine.get("authMethod"));
    }

    @Test
    void aViewerGroupIsForbidden() {
        given().auth().oauth2(token("vic", Set.of("portwatch-viewers"), OidcTestProfile.privateKey()))
                .when().get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void aGroupThatMapsToNoRoleIsForbidden() {
        given().auth().oauth2(token("eve", Set.of("everyone"), OidcTestProfile.privateKey()))
                .when().get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        Instant past = Instant.now().minusSeconds(3600);
        String expired = claims("carol", Set.of("portwatch-admins")).issuedAt(past.getEpochSecond())
                .expiresAt(past.plusSeconds(300).getEpochSecond()).sign(OidcTestProfile.privateKey());
        given().auth().oauth2(expired).when().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void aTokenSignedByAnotherKeyIsUnauthorized() {
        given().auth().oauth2(token("mallory", Set.of("portwatch-admins"), OidcTestProfile.otherKeyPair().getPrivate()))
                .when().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void aTokenOfAnotherIssuerIsUnauthorized() {
        String foreign = Jwt.issuer("https://elsewhere.test").upn("carol").groups(Set.of("portwatch-admins"))
                .expiresIn(300).sign(OidcTestProfile.privateKey());
        given().auth().oauth2(foreign).when().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void noTokenIsUnauthorized() {
        given().when().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void aMalformedBearerIsUnauthorized() {
        given().header("Authorization", "Bearer not-a-jwt").when().get("/api/v1/audit").then().statusCode(401);
    }

    private static String token(String user, Set<String> groups, PrivateKey key) {
        return claims(user, groups).expiresIn(300).sign(key);
    }

    private static JwtClaimsBuilder claims(String user, Set<String> groups) {
        return Jwt.issuer(OidcTestProfile.ISSUER).upn(user).subject(user).groups(groups);
    }
}
