package io.portwatch.collector.alert;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.portwatch.collector.security.ApiKeyRequests;
import io.portwatch.collector.security.Role;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@TestProfile(AlertTestProfile.class)
class AlertRulesResourceTest extends ApiKeyRequests {

    AlertRulesResourceTest() {
        super(Role.ADMIN); // writes need a key
    }

    @Test
    void theDefaultRuleShipsWhenThereIsNoRulesFile() {
        given().when().get("/api/v1/alert-rules/default").then().statusCode(200)
                .body("source", equalTo("DEFAULT"))
                .body("after", equalTo(3))
                .body("recover_after", equalTo(1))
                .body("quorum", equalTo(1))
                .body("severity", equalTo("warning"))
                .body("match", equalTo(java.util.Map.of()));
    }

    @Test
    void aRuleIsCreatedReadReplacedAndDeleted() {
        String rule = """
                {"name": "crud-web", "match": {"check": "web-*", "proto": "tcp", "port": "8000-8010",
                 "labels": {"team": "web"}}, "for": "2m", "recover_after": 2, "severity": "critical",
                 "channels": ["ops-webhook"]}""";
        given().contentType(ContentType.JSON).body(rule).when().post("/api/v1/alert-rules").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/alert-rules/crud-web"))
                .body("source", equalTo("API"))
                .body("for", equalTo("2m"))
                .body("match.port", equalTo("8000-8010"));
        given().when().get("/api/v1/alert-rules").then().statusCode(200).body("name", hasItem("crud-web"));
        given().contentType(ContentType.JSON).body(rule).when().post("/api/v1/alert-rules").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("an alert rule named \"crud-web\" exists"));

        given().contentType(ContentType.JSON).body("{\"name\": \"crud-web\", \"after\": 5}")
                .when().put("/api/v1/alert-rules/crud-web").then().statusCode(200).body("after", equalTo(5));
        given().when().get("/api/v1/alert-rules/crud-web").then().statusCode(200)
                .body("after", equalTo(5)).body("severity", equalTo("warning"));

        given().when().delete("/api/v1/alert-rules/crud-web").then().statusCode(204);
        given().when().get("/api/v1/alert-rules/crud-web").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("no alert rule \"crud-web\""));
        given().when().get("/api/v1/alert-rules").then().body("name", not(hasItem("crud-web")));
        given().when().delete("/api/v1/alert-rules/crud-web").then().statusCode(404);
    }

    @Test
    void configuredRulesCannotBeChangedThroughTheApi() {
        given().contentType(ContentType.JSON).body("{\"name\": \"default\", \"after\": 1}")
                .when().post("/api/v1/alert-rules").then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"name\": \"default\", \"after\": 1}")
                .when().put("/api/v1/alert-rules/default").then().statusCode(409)
                .body("detail", equalTo("alert rule \"default\" comes from the configuration (rules file or default)"
                        + " and cannot be changed through the API"));
        given().when().delete("/api/v1/alert-rules/default").then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"name\": \"absent\", \"after\": 1}")
                .when().put("/api/v1/alert-rules/absent").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\": \"other\", \"after\": 1}")
                .when().put("/api/v1/alert-rules/absent").then().statusCode(400)
                .body("detail", equalTo("rule \"other\": name: differs from \"absent\" in the path"
                        + " (create the new name, delete the old)"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"name": "bad", "after": 0}                      | rule "bad": after: expected an integer of at least 1, not "0"
            {"name": "bad", "after": 2, "for": "1m"}         | rule "bad": for: give either "after" or "for", not both
            {"name": "bad", "for": "30"}                     | rule "bad": for: expected a duration such as 30s, 2m or 1h30m, not "30"
            {"name": "bad", "severity": "urgent"}            | rule "bad": severity: expected one of critical, warning, info, not "urgent"
            {"name": "bad", "match": {"port": "70000"}}      | rule "bad": match.port: expected a port 0-65535 or a range such as 8000-8010, not "70000"
            {"name": "bad", "match": {"proto": "sctp"}}      | rule "bad": match.proto: expected tcp or udp, not "sctp"
            {"name": "bad", "match": {"host": "x"}}          | rule "bad": match: unknown key "host" (allowed: check, target, proto, port, agent, labels)
            {"name": "bad", "quorum": "two"}                 | rule "bad": quorum: expected an integer of at least 1, not "two"
            {"name": "bad", "channels": "ops"}               | rule "bad": channels: expected a list of notifier names
            {"name": "bad", "every": "1m"}                   | rule "bad": unknown key "every" (allowed: name, match, after, for, recover_after, quorum, severity, channels)
            {"name": "no spaces"}                            | rule: name: expected a name of letters, digits, '.', '_' and '-', not "no spaces"
            {"name": "agent-down"}                           | rule "agent-down": name: "agent-down" is reserved for the alerts the engine raises itself
            {"after": 3}                                     | rule: missing required key "name"
            """)
    void anInvalidRuleIsRefusedNamingTheFieldAndTheRule(String body, String detail) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/alert-rules").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", equalTo(detail));
    }

    @Test
    void malformedJsonIsABadRequestNotAServerError() {
        given().contentType(ContentType.JSON).body("{\"name\": ").when().post("/api/v1/alert-rules").then()
                .statusCode(400).contentType("application/problem+json");
    }
}
