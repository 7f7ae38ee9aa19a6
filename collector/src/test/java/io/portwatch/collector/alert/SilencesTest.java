package io.portwatch.collector.alert;

import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.alert.AlertFixture.alertsAbout;
import static io.portwatch.collector.alert.AlertFixture.events;
import static io.portwatch.proto.v1.PortState.CLOSED;
import static io.portwatch.proto.v1.PortState.OPEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.security.ApiKeyRequests;
import io.portwatch.collector.security.Role;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Protocol;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@TestProfile(AlertTestProfile.class)
class SilencesTest extends ApiKeyRequests {

    SilencesTest() {
        super(Role.OPERATOR); // writes need a key
    }

    @Inject
    AlertEngine engine;

    @Inject
    RecordingNotificationSink sink;

    @Test
    void aSilencedAlertIsRecordedButNotNotifiedUntilTheSilenceExpires() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int id = given().contentType(ContentType.JSON).body(Map.of(
                        "matchers", Map.of("target", "silenced.test", "port", "443"),
                        "endsAt", now.plusSeconds(3600).toString(),
                        "comment", "maintenance", "createdBy", "ops"))
                .when().post("/api/v1/silences").then().statusCode(201)
                .body("status", equalTo("ACTIVE"))
                .body("matchers.target", equalTo("silenced.test"))
                .extract().path("id");
        given().when().get("/api/v1/silences?status=active").then().statusCode(200).body("id", hasItem(id));

        CheckInstance web = instance("web", "silenced.test", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "silence-a1", List.of(web))) {
            agent.send(web, now.minusSeconds(60), CLOSED, CLOSED, CLOSED);
            assertEquals(List.of(), events(sink, "default", "silenced.test"), "muted");
            Map<String, Object> alert = alertsAbout("silenced.test", "FIRING").get(0);
            assertEquals(true, alert.get("silenced"));
            assertEquals(id, alert.get("silenceId"));

            // Ended early: expiry needs no job, an expired silence no longer matches.
            given().contentType(ContentType.JSON).body(Map.of(
                            "matchers", Map.of("target", "silenced.test", "port", "443"),
                            "startsAt", now.minusSeconds(600).toString(), "endsAt", now.minusSeconds(1).toString(),
                            "comment", "maintenance over", "createdBy", "ops"))
                    .when().put("/api/v1/silences/" + id).then().statusCode(200).body("status", equalTo("EXPIRED"));
            given().when().get("/api/v1/silences?status=expired").then().body("id", hasItem(id));

            agent.send(web, now.minusSeconds(50), OPEN);
            assertEquals(List.of(Event.RESOLVED), events(sink, "default", "silenced.test"));
            assertEquals(false, alertsAbout("silenced.test", "RESOLVED").get(0).get("silenced"));
        }
        given().when().delete("/api/v1/silences/" + id).then().statusCode(204);
        given().when().get("/api/v1/silences/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("no silence with id " + id));
    }

    @Test
    void aSilenceOfOtherMatchersDoesNotMute() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        given().contentType(ContentType.JSON).body(Map.of("matchers", Map.of("target", "other.test"),
                        "endsAt", now.plusSeconds(3600).toString(), "comment", "x", "createdBy", "ops"))
                .when().post("/api/v1/silences").then().statusCode(201);
        CheckInstance web = instance("web", "loud.test", Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        try (TestAgent agent = new TestAgent(engine, "silence-a2", List.of(web))) {
            agent.send(web, now.minusSeconds(60), CLOSED, CLOSED, CLOSED);
        }
        assertEquals(List.of(Event.FIRING), events(sink, "default", "loud.test"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"endsAt": "2099-01-01T00:00:00Z", "comment": "c", "createdBy": "me"}                                    | silence: missing required key "matchers"
            {"matchers": {}, "endsAt": "2099-01-01T00:00:00Z", "comment": "c", "createdBy": "me"}                    | silence: matchers: at least one matcher is required (rule, check, target, proto, port, agent, labels)
            {"matchers": {"port": "x"}, "endsAt": "2099-01-01T00:00:00Z", "comment": "c", "createdBy": "me"}         | silence: matchers.port: expected a port 0-65535 or a range such as 8000-8010, not "x"
            {"matchers": {"target": "a"}, "startsAt": "2099-01-02T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z", "comment": "c", "createdBy": "me"} | silence: endsAt: must be after startsAt 2099-01-02T00:00:00Z
            {"matchers": {"target": "a"}, "endsAt": "tomorrow", "comment": "c", "createdBy": "me"}                   | silence: endsAt: expected an ISO-8601 instant such as 2026-11-25T10:00:00Z, not "tomorrow"
            {"matchers": {"target": "a"}, "endsAt": "2099-01-01T00:00:00Z", "comment": " ", "createdBy": "me"}       | silence: comment: expected a non-empty string
            {"matchers": {"target": "a"}, "endsAt": "2099-01-01T00:00:00Z", "comment": "c", "createdBy": "me", "x": 1} | silence: unknown key "x" (allowed: matchers, startsAt, endsAt, comment, createdBy)
            """)
    void anInvalidSilenceIsRefusedNamingTheField(String body, String detail) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/silences").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo(detail));
    }
}
