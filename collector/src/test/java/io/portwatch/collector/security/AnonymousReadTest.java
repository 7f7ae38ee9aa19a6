package io.portwatch.collector.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** With portwatch.security.anonymous-read on (the test profile's default): reads need no key, writes still do. */
@QuarkusTest
class AnonymousReadTest {

    @Test
    void anonymousCallersReadButDoNotWrite() {
        given().get("/api/v1/checks").then().statusCode(200);
        given().get("/api/v1/silences").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"matchers\": {\"target\": \"a\"}, \"endsAt\": \"2099-01-01T00:00:00Z\"}")
                .post("/api/v1/silences").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().get("/api/v1/keys").then().statusCode(401);
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhereAnonymousCallersMayRead() {
        // A credential that was presented and refused is a 401, not a silent downgrade to anonymous.
        given().auth().oauth2("pwk_revoked-or-unknown-0000000000000000000000").get("/api/v1/checks").then()
                .statusCode(401).body("title", equalTo("Unauthorized"));
    }
}
