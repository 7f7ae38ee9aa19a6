package io.portwatch.collector.alert;

import static io.restassured.RestAssured.given;

import io.portwatch.collector.alert.notify.AlertNotification;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;

/** Reads alerts through the real API and notifications from the recorder, by what they are about. */
final class AlertFixture {

    private AlertFixture() {}

    /** Alerts of any state whose subject (instance key, agent id, or agent|key) contains {@code text}. */
    static List<Map<String, Object>> alertsAbout(String text) {
        JsonPath body = given().when().get("/api/v1/alerts?limit=1000").then().statusCode(200).extract().jsonPath();
        return body.<Map<String, Object>>getList("").stream()
                .filter(a -> ((String) a.get("subject")).contains(text)).toList();
    }

    static List<Map<String, Object>> alertsAbout(String text, String state) {
        return alertsAbout(text).stream().filter(a -> state.equals(a.get("state"))).toList();
    }

    static List<Event> events(RecordingNotificationSink sink, String rule, String target) {
        return sink.matching(n -> n.rule().equals(rule) && target.equals(n.labels().get("target"))).stream()
                .map(AlertNotification::event).toList();
    }

    static void createRule(String json) {
        given().contentType(ContentType.JSON).body(json).when().post("/api/v1/alert-rules").then().statusCode(201);
    }

    static void deleteRule(String name) {
        given().when().delete("/api/v1/alert-rules/" + name).then().statusCode(204);
    }
}
