package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.notify.OutboxEntry;
import io.portwatch.collector.alert.notify.OutboxRepository;
import io.portwatch.collector.alert.notify.OutboxStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/notifications")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class NotificationsResource {

    private final OutboxRepository outbox;

    NotificationsResource(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    @GET
    @Operation(summary = "The notification outbox, newest first: status, attempts, last error and next attempt per channel")
    public List<OutboxEntry> list(
            @Parameter(description = "pending, delivered or failed") @QueryParam("status") String status,
            @Parameter(description = "only the notifications of this alert") @QueryParam("alert") String alert,
            @Parameter(description = "at most this many, 1 to 1000 (default 100)") @QueryParam("limit") String limit) {
        OutboxStatus s = Params.choice("status", status, OutboxStatus.class);
        Long alertId = alert == null || alert.isBlank() ? null : Params.id("alert", alert);
        return outbox.list(s, alertId, Params.limit(limit, 100, 1000));
    }
}
