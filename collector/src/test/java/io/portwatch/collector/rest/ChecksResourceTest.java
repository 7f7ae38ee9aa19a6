package io.portwatch.collector.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad requests are answered with problem+json naming the parameter and the rule; never a 500. */
@QuarkusTest
class ChecksResourceTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/v1/checks/abc                              | 400 | check id \"abc\" is not a positive integer",
        "/api/v1/checks/-4                               | 400 | check id \"-4\" is not a positive integer",
        "/api/v1/checks/999999999                        | 404 | no check with id 999999999",
        "/api/v1/checks/999999999/history                | 404 | no check with id 999999999",
        "/api/v1/checks/x/uptime                         | 400 | check id \"x\" is not a positive integer",
        "/api/v1/agents/nobody                           | 404 | no agent with id \"nobody\"",
        "/api/v1/nothing-here                            | 404 | no resource at /api/v1/nothing-here",
        "/api/v1/targets/nowhere.example                 | 404 | no check probes target \"nowhere.example\"",
        "/api/v1/checks/999999999/incidents              | 404 | no check with id 999999999",
        "/api/v1/checks/999999999/uptime                 | 404 | no check with id 999999999",
        "/api/v1/checks/999999999/uptime?window=30d      | 404 | no check with id 999999999",
        "/api/v1/checks/999999999/uptime?window=forever  | 404 | no check with id 999999999",
        "/api/v1/checks?proto=sctp                       | 400 | proto \"sctp\" must be one of tcp, udp",
        "/api/v1/checks?state=up                         | 400 | state \"up\" must be one of open, closed, filtered, open_filtered, error, unknown",
        "/api/v1/checks?healthy=yes                      | 400 | healthy \"yes\" must be true or false",
        "/api/v1/checks?port=70000                       | 400 | port \"70000\" must be an integer from 0 to 65535",
        "/api/v1/checks?limit=10001                      | 400 | limit \"10001\" must be an integer from 1 to 10000",
        "/api/v1/checks?after=x                          | 400 | after \"x\" is not a positive integer",
    })
    void badPathsAreProblems(String path, int status, String detail) {
        given().when().get(path).then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", equalTo(detail))
                .body("instance", equalTo(path.replaceAll("\\?.*", "")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit=0         | limit \"0\" must be an integer from 1 to 1000",
        "limit=5000      | limit \"5000\" must be an integer from 1 to 1000",
        "limit=ten       | limit \"ten\" must be an integer from 1 to 1000",
        "from=yesterday  | from \"yesterday\" is not an ISO-8601 instant such as 2026-11-25T10:00:00Z",
        "from=2026-11-25T10:00:00Z&to=2026-11-24T10:00:00Z | from 2026-11-25T10:00:00Z is after to 2026-11-24T10:00:00Z",
        "cursor=%%%      | cursor \"%%%\" is not a cursor returned by this API",
    })
    void badHistoryParametersAre400(String query, String detail) {
        long id = anyCheckId();
        given().urlEncodingEnabled(false).when().get("/api/v1/checks/" + id + "/history?" + query.replace("%%%", "%25%25%25"))
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "window=forever | window \"forever\" must be hours or days such as 24h, 7d, 30d or 365d (at most 400d)",
        "window=0h      | window \"0h\" must be hours or days such as 24h, 7d, 30d or 365d (at most 400d)",
        "window=401d    | window \"401d\" must be hours or days such as 24h, 7d, 30d or 365d (at most 400d)",
        "window=7d&from=2026-11-01T00:00:00Z | give either window or from/to, not both",
        "from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z | from/to span more than 400 days",
    })
    void badUptimeParametersAre400(String query, String detail) {
        given().when().get("/api/v1/checks/" + anyCheckId() + "/uptime?" + query)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }

    @Test
    void openApiDescribesTheApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/checks/{id}/uptime"))
                .body("paths.'/api/v1/checks/{id}/uptime'.get.responses.'400'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"))
                .body("components.schemas.Problem.properties", org.hamcrest.Matchers.hasKey("detail"));
    }

    @Test
    void healthIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    /** A real check row to aim parameter errors at, created through the ingest path. */
    private static long anyCheckId() {
        return CheckFixture.ensureOne();
    }
}
