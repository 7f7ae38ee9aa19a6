package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.notify.OutboxEntry;
import io.portwatch.collector.alert.notify.OutboxRepository;
import io.portwatch.collector.alert.notify.OutboxStatus;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
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

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final OutboxRepository outbox;

    NotificationsResource(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    @GET
    @Operation(summary = "The notification outbox, newest first: status, attempts, last error and next attempt per channel")
    public List<OutboxEntry> list(
            @Parameter(description = "pending, delivered or failed (any case)") @QueryParam("status") OutboxStatus status,
            @Parameter(description = "only the notifications of this alert") @QueryParam("alert") @Positive Long alert,
            @Parameter(description = "at most this many (default 100)") @QueryParam("limit") @Min(1) @Max(MAX_LIMIT) Integer limit) {
        return outbox.list(status, alert, limit == null ? DEFAULT_LIMIT : limit);
    }
}
