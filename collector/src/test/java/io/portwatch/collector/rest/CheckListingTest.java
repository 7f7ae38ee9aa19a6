package io.portwatch.collector.rest;

import static io.portwatch.collector.AgentMessages.batch;
import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.portwatch.collector.AgentMessages.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.CheckInstance;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.PortState;
import io.portwatch.proto.v1.Protocol;
import io.portwatch.proto.v1.Reason;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Filters and paging of GET /checks, the per-target view and the agent detail. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckListingTest {

    private static final String TARGET = "listing.test";

    @BeforeAll
    void twoAgentsWatchOneTarget() throws Exception {
        CheckInstance web = instance("listing-web", TARGET, Protocol.TCP, 443, Expectation.EXPECT_OPEN);
        CheckInstance dns = instance("listing-dns", TARGET, Protocol.UDP, 53, Expectation.EXPECT_OPEN).toBuilder()
                .putLabels("team", "net \"core\"").putLabels("tier", "édge").build();
        long now = System.currentTimeMillis();
        send("listing-a", List.of(web, dns), List.of(result(web, PortState.OPEN, Reason.CONNECTED, now),
                result(dns, PortState.OPEN_FILTERED, Reason.NO_REPLY, now)));
        send("listing-b", List.of(web), List.of(result(web, PortState.FILTERED, Reason.TIMEOUT, now)));
        List<CheckInstance> many = new ArrayList<>();
        for (int p = 1; p <= 25; p++) {
            many.add(instance("listing-many", "10.0.0.1", Protocol.TCP, 1000 + p, Expectation.EXPECT_OPEN));
        }
        send("listing-c", many, List.of());
        CheckInstance odd = instance("listing \"odd\" ünïcode\\", "odd.listing.test", Protocol.TCP, 7, Expectation.EXPECT_CLOSED);
        send("listing-d", List.of(odd), List.of(result(odd, PortState.CLOSED, Reason.REFUSED, now)));
    }

    private static void send(String agent, List<CheckInstance> instances, List<io.portwatch.proto.v1.ProbeResult> results)
            throws Exception {
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(agent)).send(catalog(agent, instances)).send(batch(1, results));
            assertEquals(1, client.next(Duration.ofSeconds(20)).getAck().getSeq());
        }
    }

    @Test
    void filtersCombine() {
        given().queryParam("target", TARGET).get("/api/v1/checks").then().statusCode(200).body("$", hasSize(3));
        given().queryParam("target", TARGET).queryParam("proto", "udp").get("/api/v1/checks").then()
                .body("key", contains("listing-dns|listing.test|udp|53"));
        given().queryParam("target", TARGET).queryParam("healthy", "false").get("/api/v1/checks").then()
                .body("state", containsInAnyOrder("OPEN_FILTERED", "FILTERED"));
        given().queryParam("state", "open|filtered").queryParam("agent", "listing-a").get("/api/v1/checks").then()
                .body("agentId", contains("listing-a"));
        given().queryParam("port", 443).queryParam("target", TARGET).get("/api/v1/checks").then()
                .body("agentId", containsInAnyOrder("listing-a", "listing-b"));
    }

    /**
     * The list is written straight from the rows, the detail by Jackson from a CheckView: each
     * listed object must be the detail's JSON, field for field and in the same order, for
     * checks with and without results and labels.
     */
    @Test
    void eachListedCheckIsTheJsonOfItsDetail() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode listed = mapper.readTree(given().queryParam("target", TARGET).get("/api/v1/checks").then()
                .statusCode(200).contentType("application/json").extract().asString());
        JsonNode unprobed = mapper.readTree(given().queryParam("agent", "listing-c").queryParam("limit", 2)
                .get("/api/v1/checks").asString());
        List<JsonNode> items = new ArrayList<>();
        JsonNode odd = mapper.readTree(given().queryParam("agent", "listing-d").get("/api/v1/checks").asString());
        listed.forEach(items::add);
        unprobed.forEach(items::add);
        odd.forEach(items::add);
        assertEquals(6, items.size());
        assertTrue(items.stream().anyMatch(i -> i.get("name").asText().equals("listing \"odd\" ünïcode\\")),
                "a name that needs escaping and is not ASCII");
        assertTrue(items.stream().anyMatch(i -> i.get("labels").size() == 2), "a check with labels");
        assertTrue(items.stream().anyMatch(i -> i.get("state").isNull()), "a check without results");
        for (JsonNode item : items) {
            JsonNode detail = mapper.readTree(given().get("/api/v1/checks/" + item.get("id").asLong()).asString());
            assertEquals(fieldNames(detail), fieldNames(item));
            assertEquals(detail, item);
        }
    }

    /** The list keeps each check's JSON by row version: a check that changed is listed as it now is. */
    @Test
    void aCheckThatChangedIsListedAsItNowIs() throws Exception {
        CheckInstance ssh = instance("listing-ssh", "changing.listing.test", Protocol.TCP, 22, Expectation.EXPECT_OPEN);
        long now = System.currentTimeMillis();
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello("listing-e")).send(catalog("listing-e", List.of(ssh)))
                    .send(batch(1, List.of(result(ssh, PortState.OPEN, Reason.CONNECTED, now))));
            assertEquals(1, client.next(Duration.ofSeconds(20)).getAck().getSeq());
            for (int i = 0; i < 2; i++) { // the second listing is served from the kept JSON
                given().queryParam("agent", "listing-e").get("/api/v1/checks").then().statusCode(200)
                        .body("state", contains("OPEN")).body("healthy", contains(true));
            }
            client.send(batch(2, List.of(result(ssh, PortState.CLOSED, Reason.REFUSED, now + 1000))));
            assertEquals(2, client.next(Duration.ofSeconds(20)).getAck().getSeq());
        }
        given().queryParam("agent", "listing-e").get("/api/v1/checks").then().statusCode(200)
                .body("state", contains("CLOSED")).body("reason", contains("refused")).body("healthy", contains(false));
        given().queryParam("agent", "listing-e").queryParam("state", "open").get("/api/v1/checks").then()
                .body("$", hasSize(0));
        ObjectMapper mapper = new ObjectMapper();
        JsonNode listed = mapper.readTree(given().queryParam("agent", "listing-e").get("/api/v1/checks").asString()).get(0);
        assertEquals(mapper.readTree(given().get("/api/v1/checks/" + listed.get("id").asLong()).asString()), listed);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theOpenApiDescribesTheListsBodyAndLinkHeader() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/checks'.get.responses.'200'.content.'application/json'.schema.type", equalTo("array"))
                .body("paths.'/api/v1/checks'.get.responses.'200'.content.'application/json'.schema.items.'$ref'",
                        equalTo("#/components/schemas/CheckView"))
                .body("paths.'/api/v1/checks'.get.responses.'200'.headers", org.hamcrest.Matchers.hasKey("Link"))
                .body("paths.'/api/v1/checks'.get.responses.'400'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"))
                .body("components.schemas.CheckView.properties", org.hamcrest.Matchers.hasKey("labels"));
    }

    @Test
    void pagesFollowTheLinkHeaderUntilThereIsNone() {
        List<Integer> seen = new ArrayList<>();
        String next = "/api/v1/checks?agent=listing-c&limit=10";
        int pages = 0;
        while (next != null && pages < 10) {
            Response page = given().get(next).then().statusCode(200).extract().response();
            seen.addAll(page.jsonPath().getList("id"));
            String link = page.getHeader("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals(25, seen.stream().distinct().count());
        assertTrue(seen.stream().sorted().toList().equals(seen), "ordered by id");
    }

    @Test
    void aTargetShowsEachPortAsEveryAgentSeesIt() {
        given().get("/api/v1/targets/" + TARGET).then().statusCode(200)
                .body("target", equalTo(TARGET))
                .body("ports", hasSize(2))
                .body("ports.find { it.port == 443 }.views.agentId", containsInAnyOrder("listing-a", "listing-b"))
                .body("ports.find { it.port == 443 }.views.state", containsInAnyOrder("OPEN", "FILTERED"))
                .body("ports.find { it.port == 53 }.proto", equalTo("UDP"));
    }

    @Test
    void anAgentListsItsCatalogInDetailButNotInTheList() {
        given().get("/api/v1/agents/listing-a").then().statusCode(200)
                .body("checks", equalTo(2))
                .body("instances.key", containsInAnyOrder("listing-web|listing.test|tcp|443", "listing-dns|listing.test|udp|53"));
        given().get("/api/v1/agents").then().statusCode(200)
                .body("find { it.id == 'listing-a' }.instances", nullValue())
                .body("find { it.id == 'listing-a' }.checks", equalTo(2));
        assertNotNull(given().get("/api/v1/agents").jsonPath().getList("id"));
        given().get("/api/v1/agents").then().body("checks", everyItem(org.hamcrest.Matchers.greaterThanOrEqualTo(0)));
    }
}
