package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import io.portwatch.core.yaml.YamlError;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.collector.alert.rule.RuleReader;
import io.portwatch.collector.audit.AuditLog;
import io.portwatch.collector.input.InputLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Alert rules: the configured ones (rules file, or the default rule) are listed read-only; those
 * created here are stored in PostgreSQL. A body is one rule in the rules file's keys, as JSON
 * ({@link AlertRuleRequest}), read by the rules file's reader.
 */
@Path("/api/v1/alert-rules")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class AlertRulesResource {

    private final AlertRules rules;
    private final InputLimits limits;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    AlertRulesResource(AlertRules rules, InputLimits limits, AuditLog audit) {
        this.rules = rules;
        this.limits = limits;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Every rule in force, by name, with its source (default, file or api)")
    public List<AlertRuleView> list() {
        return rules.inForce().rules().stream().map(AlertRuleView::of).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One rule")
    public AlertRuleView get(@PathParam("name") String name) {
        return AlertRuleView.of(find(name(name)));
    }

    @POST
    @RolesAllowed(Role.Names.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a rule (409 when the name is taken)")
    @APIResponse(responseCode = "201", description = "the rule as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AlertRuleView.class)))
    public Response create(@org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AlertRuleRequest.class))) String body) {
        AlertRule rule = read(body);
        AlertRuleView view = AlertRuleView.of(rule);
        inTransaction(() -> {
            refuse(rules.create(rule, clock.instant()), rule.name());
            audit.record("alert-rule.create", target(rule.name()), null, view);
        });
        return Response.created(URI.create("/api/v1/alert-rules/" + rule.name())).entity(view).build();
    }

    @PUT
    @RolesAllowed(Role.Names.ADMIN)
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a rule created through the API")
    public AlertRuleView replace(@PathParam("name") String rawName,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AlertRuleRequest.class))) String body) {
        String name = name(rawName);
        AlertRule rule = read(body);
        if (!rule.name().equals(name)) {
            throw ProblemException.badRequest("rule \"" + rule.name() + "\": name: differs from \"" + name
                    + "\" in the path (create the new name, delete the old)");
        }
        AlertRuleView view = AlertRuleView.of(rule);
        inTransaction(() -> {
            AlertRuleView before = rules.lockStored(name).map(AlertRuleView::of).orElse(null);
            refuse(rules.replace(rule, clock.instant()), name);
            audit.record("alert-rule.update", target(name), before, view);
        });
        return view;
    }

    @DELETE
    @RolesAllowed(Role.Names.ADMIN)
    @Path("/{name}")
    @Operation(summary = "Deletes a rule created through the API")
    public Response delete(@PathParam("name") String rawName) {
        String name = name(rawName);
        inTransaction(() -> {
            AlertRuleView before = rules.lockStored(name).map(AlertRuleView::of).orElse(null);
            refuse(rules.delete(name), name);
            audit.record("alert-rule.delete", target(name), before, null);
        });
        return Response.noContent().build();
    }

    /**
     * One transaction for a write and its audit record: both commit, or neither. AlertRules
     * reloads its rules inside the transaction; when it rolls back, they are read again, so no
     * rule that was never committed stays in force.
     */
    private void inTransaction(Runnable write) {
        try {
            QuarkusTransaction.joiningExisting().run(write);
        } catch (RuntimeException e) {
            rules.refresh();
            throw e;
        }
    }

    private static String target(String name) {
        return "alert-rule/" + name;
    }

    private String name(String raw) {
        return Params.segment("rule name", raw, limits.values().nameLength());
    }

    private AlertRule find(String name) {
        return rules.inForce().byName(name).orElseThrow(() -> ProblemException.notFound("no alert rule \"" + name + "\""));
    }

    private static AlertRule read(String body) {
        RuleReader.Parsed<AlertRule> parsed = RuleReader.one(body == null ? "" : body);
        if (!parsed.ok()) {
            throw ProblemException.badRequest(parsed.errors().stream().map(YamlError::message)
                    .collect(Collectors.joining("; ")));
        }
        return parsed.value();
    }

    private static void refuse(Optional<AlertRules.Refusal> refusal, String name) {
        if (refusal.isEmpty()) {
            return;
        }
        throw switch (refusal.get()) {
            case DUPLICATE_NAME -> new ProblemException(409, "Conflict", "an alert rule named \"" + name + "\" exists");
            case NOT_FOUND -> ProblemException.notFound("no alert rule \"" + name + "\" created through the API");
            case CONFIGURED -> new ProblemException(409, "Conflict", "alert rule \"" + name
                    + "\" comes from the configuration (rules file or default) and cannot be changed through the API");
        };
    }
}
