package io.portwatch.collector.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.collector.alert.notify.NotifierReceivers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.SecurityAttribute;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The audit log through the real API and PostgreSQL: every write records who, how, what, when,
 * before and after; reads page newest first; only admins read it. Identities come from
 * {@code @TestSecurity}, with the auth-method attribute the real mechanisms set.
 */
@QuarkusTest
class AuditLogTest {

    @Inject
    AuditLog audit;

    @Test
    @TestSecurity(user = "alice", roles = {"admin", "operator", "viewer"},
            attributes = @SecurityAttribute(key = AuditLog.AUTH_METHOD_ATTRIBUTE, value = "test"))
    void aRuleCreateUpdateAndDeleteRecordBeforeAndAfter() {
        given().contentType(ContentType.JSON).body("{\"name\": \"audit-web\", \"after\": 3, \"severity\": \"critical\"}")
                .when().post("/api/v1/alert-rules").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"name\": \"audit-web\", \"after\": 5}")
                .when().put("/api/v1/alert-rules/audit-web").then().statusCode(200);
        given().when().delete("/api/v1/alert-rules/audit-web").then().statusCode(204);

        JsonPath create = newest("alert-rule.create");
        assertEquals("alice", create.getString("actor"));
        assertEquals("test", create.getString("authMethod"));
        assertEquals("alert-rule/audit-web", create.getString("target"));
        assertNull(create.get("before"));
        assertEquals(3, create.getInt("after.after"));
        assertEquals("critical", create.getString("after.severity"));

        JsonPath update = newest("alert-rule.update");
        assertEquals("alert-rule/audit-web", update.getString("target"));
        assertEquals(3, update.getInt("before.after"));
        assertEquals("critical", update.getString("before.severity"));
        assertEquals(5, update.getInt("after.after"));
        assertEquals("warning", update.getString("after.severity"));
        assertTrue(Instant.parse(update.getString("at")).compareTo(Instant.parse(create.getString("at"))) >= 0);

        JsonPath delete = newest("alert-rule.delete");
        assertEquals(5, delete.getInt("before.after"));
        assertNull(delete.get("after"));
    }

    @Test
    @TestSecurity(user = "alice", roles = {"admin", "operator", "viewer"})
    void aRefusedWriteRecordsNothing() {
        String rule = "{\"name\": \"audit-once\", \"after\": 2}";
        given().contentType(ContentType.JSON).body(rule).when().post("/api/v1/alert-rules").then().statusCode(201);
        given().contentType(ContentType.JSON).body(rule).when().post("/api/v1/alert-rules").then().statusCode(409);
        given().when().delete("/api/v1/silences/999999999").then().statusCode(404);
        long creates = all("alert-rule.create").stream().filter(e -> e.get("target").equals("alert-rule/audit-once")).count();
        assertEquals(1, creates, "the 409 rolled back with its record");
        assertTrue(all("silence.delete").stream().noneMatch(e -> e.get("target").equals("silence/999999999")));
        given().when().delete("/api/v1/alert-rules/audit-once").then().statusCode(204);
    }

    @Test
    @TestSecurity(user = "oscar", roles = {"admin", "operator", "viewer"},
            attributes = @SecurityAttribute(key = AuditLog.AUTH_METHOD_ATTRIBUTE, value = "api-key"))
    void silenceWritesAreRecordedWithTheirViews() {
        Instant end = Instant.parse("2099-01-01T00:00:00Z");
        int id = given().contentType(ContentType.JSON).body(Map.of("matchers", Map.of("target", "audit.test"),
                        "endsAt", end.toString(), "comment", "window", "createdBy", "ops"))
                .when().post("/api/v1/silences").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body(Map.of("matchers", Map.of("target", "audit.test"),
                        "endsAt", end.toString(), "comment", "longer window", "createdBy", "ops"))
                .when().put("/api/v1/silences/" + id).then().statusCode(200);
        given().when().delete("/api/v1/silences/" + id).then().statusCode(204);

        List<Map<String, Object>> rows = all(null).subList(0, 3);
        assertEquals(List.of("silence.delete", "silence.update", "silence.create"), rows.stream().map(r -> r.get("action")).toList());
        for (Map<String, Object> r : rows) {
            assertEquals("silence/" + id, r.get("target"));
            assertEquals("oscar", r.get("actor"));
            assertEquals("api-key", r.get("authMethod"));
        }
        assertEquals("window", field(rows.get(2), "after", "comment"));
        assertEquals("window", field(rows.get(1), "before", "comment"));
        assertEquals("longer window", field(rows.get(1), "after", "comment"));
        assertEquals("longer window", field(rows.get(0), "before", "comment"));
        assertNull(rows.get(0).get("after"));
    }

    @Test
    @TestSecurity(user = "alice", roles = {"admin", "operator", "viewer"})
    void aNotifierTestIsRecordedWithoutSecrets() {
        given().when().post("/api/v1/notifiers/test-slack/test").then().statusCode(200);
        given().when().post("/api/v1/notifiers/test-refuse/test").then().statusCode(502);

        Map<String, Object> sent = newestOf("notifier.test", "notifier/test-slack");
        assertEquals("alice", sent.get("actor"));
        assertEquals("sent", field(sent, "after", "outcome"));
        assertEquals("SLACK", field(sent, "after", "type"));
        assertEquals("failed", field(newestOf("notifier.test", "notifier/test-refuse"), "after", "outcome"));
        // Slack's secret is its URL path; the receiver's answer to a failure is not kept either.
        String log = given().when().get("/api/v1/audit?action=notifier.test&limit=1000").then().statusCode(200)
                .extract().asString();
        org.hamcrest.MatcherAssert.assertThat(log, not(containsString(NotifierReceivers.SECRET)));
        org.hamcrest.MatcherAssert.assertThat(log, not(containsString("/slack")));
        org.hamcrest.MatcherAssert.assertThat(log, not(containsString("receiver says no")));
    }

    @Test
    @TestSecurity(user = "alice", roles = {"admin", "operator", "viewer"})
    void pagesNewestFirstWithoutGapsOrRepeats() {
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("matchers", Map.of("target", "page-" + i + ".test"),
                    "endsAt", "2099-01-01T00:00:00Z", "comment", "paging", "createdBy", "ops")).when().post("/api/v1/silences").then().statusCode(201);
        }
        List<Map<String, Object>> whole = all("silence.create");
        List<Map<String, Object>> paged = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            var request = given().queryParam("action", "silence.create").queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("before", cursor);
            }
            JsonPath body = request.when().get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> entries = body.getList("entries");
            assertTrue(entries.size() <= 2);
            paged.addAll(entries);
            cursor = body.getString("nextCursor");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(ids(whole), ids(paged), "pages of 2 give the same rows, in the same order, as one page");
        assertEquals(ids(paged).size(), new HashSet<>(ids(paged)).size(), "no row twice");
        for (int i = 1; i < paged.size(); i++) {
            Instant newer = Instant.parse((String) paged.get(i - 1).get("at"));
            Instant older = Instant.parse((String) paged.get(i).get("at"));
            assertTrue(!older.isAfter(newer), "newest first");
        }
        Set<Object> newest = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            newest.add(field(paged.get(i), "after", "matchers") instanceof Map<?, ?> m ? m.get("target") : null);
        }
        assertEquals(Set.of("page-0.test", "page-1.test", "page-2.test", "page-3.test", "page-4.test"), newest);
    }

    @ParameterizedTest
    @TestSecurity(user = "alice", roles = {"admin", "operator", "viewer"})
    @CsvSource(delimiter = '|', value = {
        "limit=0        | limit \"0\" must be an integer from 1 to 1000",
        "limit=1001     | limit \"1001\" must be an integer from 1 to 1000",
        "limit=many     | limit \"many\" must be an integer from 1 to 1000",
        "before=%25%25  | before \"%%\" is not a cursor returned by this API",
        "before=bm9wZQ  | before \"bm9wZQ\" is not a cursor returned by this API",
        "action=a%01b   | action \"a\\u0001b\": control character U+0001 at character 2",
    })
    void badParametersAreProblems(String query, String detail) {
        given().urlEncodingEnabled(false).when().get("/api/v1/audit?" + query).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }

    @Test
    @TestSecurity(user = "otto", roles = {"operator", "viewer"})
    void anOperatorCannotReadTheLog() {
        given().when().get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    @TestSecurity(user = "vera", roles = "viewer")
    void aViewerCannotReadTheLog() {
        given().when().get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void noIdentityCannotReadTheLog() {
        given().when().get("/api/v1/audit").then().statusCode(401);
    }

    @Test
    void aRecordNeedsTheCallersTransaction() {
        assertThrows(TransactionalException.class, () -> audit.record("test.none", "nothing/1", null, null));
    }

    @Test
    @TestSecurity(user = "alice", roles = {"admin", "operator", "viewer"})
    void anUnknownActionFindsNothing() {
        given().when().get("/api/v1/audit?action=no.such-action").then().statusCode(200)
                .body("entries.size()", equalTo(0)).body("nextCursor", nullValue());
    }

    private static JsonPath newest(String action) {
        return given().when().get("/api/v1/audit?limit=1&action=" + action).then().statusCode(200)
                .extract().jsonPath().setRootPath("entries[0]");
    }

    private static Map<String, Object> newestOf(String action, String target) {
        return all(action).stream().filter(e -> target.equals(e.get("target"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> all(String action) {
        var request = given().queryParam("limit", 1000);
        if (action != null) {
            request.queryParam("action", action);
        }
        return request.when().get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("entries");
    }

    private static List<Object> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get("id")).toList();
    }

    private static Object field(Map<String, Object> row, String side, String key) {
        return row.get(side) instanceof Map<?, ?> m ? m.get(key) : null;
    }
}
