package io.portwatch.collector.rest;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error model on every API operation: 400, 401, 403, 404 and 500 answer with
 * application/problem+json ({@link Problem}), as {@link ProblemMappers} guarantees; and the bearer
 * scheme every API operation accepts (an API key, or an OIDC token where configured).
 */
public class ProblemResponsesFilter implements OASFilter {

    private static final String SCHEMA = "Problem";
    static final String SECURITY_SCHEME = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema(SCHEMA, OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details")
                .properties(Map.of(
                        "type", string("always about:blank"),
                        "title", string("the HTTP reason phrase"),
                        "status", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.INTEGER)),
                        "detail", string("what was wrong: the parameter, the value and the rule"),
                        "instance", string("the request path"))));
        openAPI.getComponents().addSecurityScheme(SECURITY_SCHEME, OASFactory.createSecurityScheme()
                .type(org.eclipse.microprofile.openapi.models.security.SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Authorization: Bearer pwk_... (an API key: POST /api/v1/keys or"
                        + " ./portwatch collector keys create), or an OIDC access token where OIDC is configured."
                        + " Roles: viewer reads; operator also manages silences and tests notifiers;"
                        + " admin also manages alert rules and keys."));
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().values().forEach(operation -> {
                    addProblems(operation);
                    operation.setSecurity(java.util.List.of(
                            OASFactory.createSecurityRequirement().addScheme(SECURITY_SCHEME)));
                });
            }
        });
    }

    private static void addProblems(Operation operation) {
        APIResponses responses = operation.getResponses();
        add(responses, "400", "a parameter is malformed or out of range");
        add(responses, "401", "no credentials, or an unknown, revoked or invalid one (WWW-Authenticate: Bearer)");
        add(responses, "403", "the caller's role does not allow this operation");
        add(responses, "404", "no such resource");
        add(responses, "500", "the collector failed; details are in its log");
    }

    private static void add(APIResponses responses, String code, String description) {
        var problem = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(SCHEMA)));
        if (responses.hasAPIResponse(code)) {
            // SmallRye adds bare 401 and 403 to @RolesAllowed operations: give them our description and body.
            var existing = responses.getAPIResponse(code);
            if (existing.getContent() == null && existing.getRef() == null) {
                existing.description(description).content(problem);
            }
            return;
        }
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description).content(problem));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)).description(description);
    }
}
