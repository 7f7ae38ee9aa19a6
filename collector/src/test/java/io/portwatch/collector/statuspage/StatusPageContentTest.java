package io.portwatch.collector.statuspage;

import static io.portwatch.collector.AgentMessages.catalog;
import static io.portwatch.collector.AgentMessages.hello;
import static io.portwatch.collector.AgentMessages.instance;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.portwatch.collector.AgentStreamClient;
import io.portwatch.proto.v1.Expectation;
import io.portwatch.proto.v1.Protocol;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What the status page renders from the network is escaped, and its filters are checked like the
 * API's parameters (a problem+json 400 naming the parameter).
 */
@QuarkusTest
class StatusPageContentTest {

    private static final String AGENT = "page-escape-agent";
    private static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @Test
    void namesAndLabelsFromAgentsAreEscaped() throws InterruptedException {
        try (AgentStreamClient client = new AgentStreamClient()) {
            client.send(hello(AGENT)).send(catalog("page-escape", List.of(instance(HOSTILE, "hostile.example", Protocol.TCP, 443,
                    Expectation.EXPECT_OPEN).toBuilder().putLabels("team", "\"><script>alert(2)</script>").build())));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (!given().get("/?agent=" + AGENT).asString().contains("hostile.example") && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
        }
        given().queryParam("agent", AGENT).get("/").then().statusCode(200).contentType(ContentType.HTML)
                .body(allOf(containsString("data-check=\"&lt;img src=x onerror=alert(1)&gt;\""),
                        containsString("team=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
                        not(containsString(HOSTILE)), not(containsString("<script>alert"))));
        // The label filter finds it by the same (unescaped) value.
        given().queryParam("label", "team=\"><script>alert(2)</script>").get("/status/content").then().statusCode(200)
                .body(containsString("hostile.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"state=bogus", "label=no-equals-sign", "page=0", "page=x"})
    void badFiltersAreProblems(String query) {
        given().get("/?" + query).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString(query.substring(0, query.indexOf('='))));
        given().get("/status/content?" + query).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theFiltersStayInTheRefreshUrl() {
        given().queryParam("target", "a&b").queryParam("state", "closed").get("/").then().statusCode(200)
                .body(containsString("hx-get=\"/status/content?target=a%26b&amp;state=CLOSED\""));
    }

    @Test
    void thePageIsCompressedAndTheApiIsNot() {
        given().header("Accept-Encoding", "gzip").get("/").then().statusCode(200).header("Content-Encoding", "gzip");
        given().header("Accept-Encoding", "gzip").get("/api/v1/checks").then().statusCode(200)
                .header("Content-Encoding", org.hamcrest.Matchers.nullValue());
    }
}
