package io.portwatch.collector.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document types the parameters as the API does (a client generator can rely on it),
 * and describes request and response bodies.
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final String CHECKS = "paths.'/api/v1/checks'.get.parameters.find { it.name == '%s' }.schema.";

    private ValidatableResponse document;

    @BeforeEach
    void fetch() {
        document = given().when().get("/q/openapi?format=json").then().statusCode(200);
    }

    @Test
    void queryParametersAreTypedWithTheirRanges() {
        document.body(CHECKS.formatted("limit") + "type", equalTo("integer"))
                .body(CHECKS.formatted("limit") + "minimum", equalTo(1))
                .body(CHECKS.formatted("limit") + "maximum", equalTo(ChecksResource.LIST_MAX_LIMIT))
                .body(CHECKS.formatted("port") + "type", equalTo("integer"))
                .body(CHECKS.formatted("port") + "minimum", equalTo(0))
                .body(CHECKS.formatted("port") + "maximum", equalTo(65535))
                .body(CHECKS.formatted("after") + "type", equalTo("integer"))
                .body(CHECKS.formatted("healthy") + "type", equalTo("boolean"))
                .body("paths.'/api/v1/checks/{id}/history'.get.parameters.find { it.name == 'from' }.schema.'$ref'",
                        equalTo("#/components/schemas/Instant"))
                .body("components.schemas.Instant.format", equalTo("date-time"))
                .body("paths.'/api/v1/checks/{id}/history'.get.parameters.find { it.name == 'limit' }.schema.maximum",
                        equalTo(ChecksResource.HISTORY_MAX_LIMIT))
                .body("paths.'/api/v1/alerts'.get.parameters.find { it.name == 'limit' }.schema.type", equalTo("integer"));
    }

    @Test
    void enumParametersListTheirValues() {
        document.body("components.schemas.Protocol.enum", hasItems("TCP", "UDP"))
                .body("paths.'/api/v1/checks'.get.parameters.find { it.name == 'proto' }.schema.'$ref'",
                        equalTo("#/components/schemas/Protocol"));
    }

    @Test
    void ruleAndSilenceBodiesHaveSchemas() {
        for (String op : new String[] {"'/api/v1/alert-rules'.post", "'/api/v1/alert-rules/{name}'.put"}) {
            document.body("paths." + op + ".requestBody.content.'application/json'.schema.'$ref'",
                    equalTo("#/components/schemas/AlertRuleRequest"));
        }
        for (String op : new String[] {"'/api/v1/silences'.post", "'/api/v1/silences/{id}'.put"}) {
            document.body("paths." + op + ".requestBody.content.'application/json'.schema.'$ref'",
                    equalTo("#/components/schemas/SilenceRequest"));
        }
        document.body("components.schemas.AlertRuleRequest.properties", hasKey("for"))
                .body("components.schemas.AlertRuleRequest.properties", hasKey("recover_after"))
                .body("components.schemas.AlertRuleRequest.required", hasItem("name"))
                .body("components.schemas.AlertRuleRequest.properties.after.type", equalTo("integer"))
                .body("components.schemas.SilenceRequest.required", hasItems("matchers", "endsAt", "comment", "createdBy"))
                .body("components.schemas.SilenceRequest.properties.endsAt.'$ref'", equalTo("#/components/schemas/Instant"));
    }

    @Test
    void responsesHaveSchemas() {
        document.body("paths.'/api/v1/alert-rules'.post.responses.'201'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/AlertRuleView"))
                .body("paths.'/api/v1/silences'.post.responses.'201'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/SilenceView"))
                .body("paths.'/api/v1/checks/{id}/history'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/HistoryPage"));
    }
}
