package io.portwatch.collector.statuspage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.portwatch.collector.security.ApiKeyService;
import io.portwatch.collector.security.KeysRequiredProfile;
import io.portwatch.collector.security.Role;
import io.portwatch.collector.security.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The status page without anonymous reads (the production stance): a key form instead of the page,
 * the cookie the form sets, which opens the page and its content but no API call and no write,
 * and a revoked key's cookie refused and cleared.
 */
@QuarkusTest
@TestProfile(KeysRequiredProfile.class)
class StatusPageAccessTest {

    private static final String COOKIE = "portwatch_key";
    private static final String SILENCE = "{\"matchers\": {\"target\": \"page.test\"}, \"endsAt\": \"2099-01-01T00:00:00Z\","
            + " \"comment\": \"page test\", \"createdBy\": \"tests\"}";

    @Inject
    ApiKeyService keys;

    @Test
    void withoutAKeyThePageAsksForOne() {
        given().get("/").then().statusCode(401).contentType(ContentType.HTML)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<form method=\"post\" action=\"/status/session\">"), not(containsString("id=\"content\"")));
        given().get("/status/content").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void theKeyFormSetsAStrictHttpOnlyCookieThatOpensThePage() {
        String viewer = TestKeys.secret(Role.VIEWER);
        String setCookie = given().redirects().follow(false).formParam("key", viewer).post("/status/session").then()
                .statusCode(303).header("Location", endsWith("/")).extract().header("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertTrue(setCookie.startsWith(COOKIE + "=" + viewer), setCookie);
        org.junit.jupiter.api.Assertions.assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
                && setCookie.contains("Path=/"), setCookie);

        given().cookie(COOKIE, viewer).get("/").then().statusCode(200).contentType(ContentType.HTML)
                .body(allOf(containsString("id=\"content\""), containsString("Forget key")));
        given().cookie(COOKIE, viewer).get("/status/content").then().statusCode(200).body(containsString("Open alerts"));
        given().auth().oauth2(viewer).get("/").then().statusCode(200).body(not(containsString("Forget key")));
    }

    @Test
    void theCookieIsNoApiCredentialAndNeverAuthorizesAWrite() {
        String admin = TestKeys.secret(Role.ADMIN);
        given().cookie(COOKIE, admin).get("/api/v1/checks").then().statusCode(401);
        given().cookie(COOKIE, admin).contentType(ContentType.JSON).body(SILENCE).post("/api/v1/silences").then().statusCode(401);
        // Forgetting the key needs none: it only expires the cookie.
        given().redirects().follow(false).cookie(COOKIE, admin).post("/status/session/end").then().statusCode(303)
                .header("Set-Cookie", containsString("Max-Age=0"));
    }

    @Test
    void aRevokedKeysCookieIsRefusedAndCleared() {
        ApiKeyService.Issued issued = keys.create("page-revoked", Role.VIEWER, "tests");
        keys.revoke(issued.key().id(), true);
        given().cookie(COOKIE, issued.secret()).get("/").then().statusCode(401)
                .header("Set-Cookie", allOf(containsString(COOKIE + "=;"), containsString("Max-Age=0")))
                .body(containsString("not accepted"));
    }

    @Test
    void somethingElseThanAKeyIsRefusedByTheForm() {
        given().formParam("key", "hunter2").post("/status/session").then().statusCode(400)
                .header("Set-Cookie", equalTo(null)).body(containsString("starts with pwk_"));
    }
}
