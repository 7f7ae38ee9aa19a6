package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.AlertRepository;
import io.portwatch.collector.alert.AlertState;
import io.portwatch.collector.alert.AlertView;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
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
            @Parameter(description = "pending, firing or resolved") @QueryParam("state") String state,
            @Parameter(description = "port, exposure, no_data or agent_down") @QueryParam("kind") String kind,
            @Parameter(description = "1-1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "alerts with id below this (paging)") @QueryParam("before") String before) {
        long beforeId = before == null || before.isBlank() ? 0 : Params.id("before", before);
        return alerts.list(Params.choice("state", state, AlertState.class), Params.choice("kind", kind, Kind.class),
                beforeId, Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One alert with its lifecycle")
    public AlertView get(@PathParam("id") String id) {
        long alertId = Params.id("alert id", id);
        return alerts.byId(alertId).orElseThrow(() -> ProblemException.notFound("no alert with id " + alertId));
    }
}
