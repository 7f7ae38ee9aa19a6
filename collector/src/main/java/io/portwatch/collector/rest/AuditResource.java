package io.portwatch.collector.rest;

import io.portwatch.collector.audit.AuditPage;
import io.portwatch.collector.audit.AuditRepository;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The audit log: every write made through the API, newest first. Admins only: it names every actor. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class AuditResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AuditRepository audit;
    private final InputLimits limits;

    AuditResource(AuditRepository audit, InputLimits limits) {
        this.audit = audit;
        this.limits = limits;
    }

    @GET
    @Operation(summary = "Recorded writes, newest first, paged by cursor: who, how authenticated, what, when,"
            + " and the state before and after")
    public AuditPage list(
            @Parameter(description = "default 100") @QueryParam("limit") @Min(1) @Max(MAX_LIMIT) Integer limit,
            @Parameter(description = "nextCursor of the previous page: entries older than its last")
            @QueryParam("before") String before,
            @Parameter(description = "only this action, e.g. silence.create or alert-rule.update")
            @QueryParam("action") String action) {
        int max = limit == null ? DEFAULT_LIMIT : limit;
        String only = Params.text("action", action, limits.values().nameLength());
        String cursor = Params.text("before", before, limits.values().nameLength());
        return audit.page(cursor, only, max);
    }
}
