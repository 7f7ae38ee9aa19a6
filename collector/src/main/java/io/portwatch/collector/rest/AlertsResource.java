package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.AlertRepository;
import io.portwatch.collector.alert.AlertState;
import io.portwatch.collector.alert.AlertView;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/alerts")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AlertRepository alerts;

    AlertsResource(AlertRepository alerts) {
        this.alerts = alerts;
    }

    @GET
    @Operation(summary = "Alerts, newest first: pending, firing and resolved; filters combine with AND")
    public List<AlertView> list(
            @Parameter(description = "pending, firing or resolved (any case)") @QueryParam("state") AlertState state,
            @Parameter(description = "port, exposure, no_data or agent_down (any case)") @QueryParam("kind") Kind kind,
            @Parameter(description = "default 100") @QueryParam("limit") @Min(1) @Max(MAX_LIMIT) Integer limit,
            @Parameter(description = "alerts with id below this (paging)") @QueryParam("before") @Positive Long before) {
        return alerts.list(state, kind, before == null ? 0 : before, limit == null ? DEFAULT_LIMIT : limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One alert with its lifecycle")
    public AlertView get(@PathParam("id") @ParamName("alert id") @Positive Long alertId) {
        return alerts.byId(alertId).orElseThrow(() -> ProblemException.notFound("no alert with id " + alertId));
    }
}
