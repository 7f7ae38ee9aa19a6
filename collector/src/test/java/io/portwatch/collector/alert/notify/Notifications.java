package io.portwatch.collector.alert.notify;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Notifications as the engine would hand them over, each test with alert ids of its own. */
final class Notifications {

    private static final AtomicLong NEXT_ALERT = new AtomicLong(System.currentTimeMillis() * 10);

    private Notifications() {}

    static long newAlertId() {
        return NEXT_ALERT.incrementAndGet();
    }

    static AlertNotification of(long alertId, AlertNotification.Event event, String... channels) {
        Instant started = Instant.parse("2026-12-01T10:00:00Z");
        Instant ended = event == AlertNotification.Event.RESOLVED ? Instant.parse("2026-12-01T10:05:00Z") : null;
        return new AlertNotification("alert-" + alertId + ":" + event.name().toLowerCase(java.util.Locale.ROOT) + ":1",
                alertId, AlertNotification.Kind.PORT, event, "web-down", "critical",
                "tcp/443 on web1 CLOSED (refused) seen by 2 agents",
                Map.of("check", "web-frontends", "target", "web1", "proto", "tcp", "port", "443", "team", "web"),
                started, ended, ended != null ? ended : started.plusSeconds(2), List.of(channels));
    }

    /** The outbox rows of one alert, through the REST API. */
    static List<Map<String, Object>> outbox(long alertId) {
        return given().queryParam("alert", alertId).when().get("/api/v1/notifications")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    static JsonPath json(Map<String, Object> request) {
        return JsonPath.from((String) request.get("body"));
    }
}
