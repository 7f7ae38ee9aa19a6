package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.check.CheckFilter;
import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.check.CheckView;
import io.portwatch.collector.history.HistoryPage;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.history.ResultRepository;
import io.portwatch.collector.uptime.IncidentRepository;
import io.portwatch.collector.uptime.IncidentView;
import io.portwatch.collector.uptime.UptimeReport;
import io.portwatch.collector.uptime.UptimeService;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/checks")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class ChecksResource {

    static final int LIST_DEFAULT_LIMIT = 1000;
    static final int LIST_MAX_LIMIT = 10_000;
    static final int HISTORY_DEFAULT_LIMIT = 100;
    static final int HISTORY_MAX_LIMIT = 1000;
    static final int INCIDENTS_DEFAULT_LIMIT = 100;

    private final CheckRepository checks;
    private final ResultRepository results;
    private final UptimeService uptime;
    private final IncidentRepository incidents;
    private final InputLimits limits;
    private final Clock clock = Clock.systemUTC();

    ChecksResource(CheckRepository checks, ResultRepository results, UptimeService uptime, IncidentRepository incidents,
            InputLimits limits) {
        this.checks = checks;
        this.results = results;
        this.uptime = uptime;
        this.incidents = incidents;
        this.limits = limits;
    }

    @GET
    @Operation(summary = "Check instances with their current state, by id; filters combine with AND."
            + " When more match than limit, a Link header (rel=\"next\") points to the next page.")
    @APIResponse(responseCode = "200", description = "the matching check instances, by id",
            headers = @Header(name = "Link", description = "<URL of the next page>; rel=\"next\", when more match",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CheckView.class)))
    public Response list(
            @Parameter(description = "agent id") @QueryParam("agent") String agent,
            @Parameter(description = "target as written in the check file") @QueryParam("target") String target,
            @QueryParam("port") @Min(0) @Max(65535) Integer port,
            @Parameter(description = "tcp or udp (any case)") @QueryParam("proto") Protocol proto,
            @Parameter(description = "open, closed, filtered, open_filtered, error: the last known state;"
                    + " unknown: the checks whose effectiveState is UNKNOWN (agent down); any case") @QueryParam("state") PortState state,
            @QueryParam("healthy") Boolean healthy,
            @Parameter(description = "default 1000") @QueryParam("limit") @Min(1) @Max(LIST_MAX_LIMIT) Integer limit,
            @Parameter(description = "return checks with id greater than this (paging)") @QueryParam("after") @Positive Long after,
            @Context UriInfo uri) {
        CheckFilter filter = new CheckFilter(Params.text("agent", agent, limits.values().nameLength()),
                Params.text("target", target, limits.values().hostLength()), port, proto, state, healthy);
        int max = limit == null ? LIST_DEFAULT_LIMIT : limit;
        long afterId = after == null ? 0 : after;
        // The page is read whole first: the Link header depends on its end, and the connection
        // goes back to the pool before a slow client reads 3.8 MB.
        CheckRepository.Page end = checks.list(filter, afterId, max);
        StreamingOutput entity = end::writeTo;
        Response.ResponseBuilder response = Response.ok(entity, MediaType.APPLICATION_JSON_TYPE);
        if (end.more()) {
            String next = uri.getRequestUriBuilder().replaceQueryParam("after", end.lastId())
                    .replaceQueryParam("limit", max).build().toString();
            response.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return response.build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One check instance with its current state")
    public CheckView get(@PathParam("id") @ParamName("check id") @Positive Long id) {
        return find(id);
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "Raw results, newest first, paged by cursor")
    public HistoryPage history(
            @PathParam("id") @ParamName("check id") @Positive Long id,
            @Parameter(description = "inclusive") @QueryParam("from") Instant from,
            @Parameter(description = "exclusive") @QueryParam("to") Instant to,
            @Parameter(description = "default 100") @QueryParam("limit") @Min(1) @Max(HISTORY_MAX_LIMIT) Integer limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        CheckView check = find(id);
        Params.order(from, to);
        return results.page(check.id(), from, to, cursor, limit == null ? HISTORY_DEFAULT_LIMIT : limit);
    }

    @GET
    @Path("/{id}/uptime")
    @Operation(summary = "Uptime %, samples by state, latency p50/p95/p99 and incidents over a window"
            + " (24h, 7d, 30d, 365d) or from/to")
    // window, from and to are read here, not converted before: an unknown check is a 404 before
    // its parameters are a 400.
    public UptimeReport uptime(
            @PathParam("id") @ParamName("check id") @Positive Long id,
            @Parameter(description = "24h (default), 7d, 30d, 365d: hours or days up to 400d",
                    schema = @Schema(type = SchemaType.STRING, pattern = "\\d{1,4}[hd]")) @QueryParam("window") String window,
            @Parameter(description = "ISO-8601 instant; with to, replaces window",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, default now",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("to") String to) {
        long checkId = id;
        Instant now = clock.instant();
        UptimeWindow w;
        try {
            w = UptimeWindow.of(window, from, to, now);
        } catch (ProblemException e) {
            find(id); // an unknown check is a 404 before its parameters are a 400
            throw e;
        }
        return uptime.uptime(checkId, w.name(), w.from(), w.to(), now).orElseThrow(() -> notFound(checkId));
    }

    @GET
    @Path("/{id}/incidents")
    @Operation(summary = "Periods the check instance was unhealthy, newest first (default: the last 30 days)")
    public List<IncidentView> incidents(
            @PathParam("id") @ParamName("check id") @Positive Long id,
            @Parameter(description = "default 30 days before to") @QueryParam("from") Instant from,
            @Parameter(description = "default now") @QueryParam("to") Instant to,
            @Parameter(description = "default 100") @QueryParam("limit") @Min(1) @Max(HISTORY_MAX_LIMIT) Integer limit) {
        CheckView check = find(id);
        Instant now = clock.instant();
        Instant end = to == null ? now : to;
        Instant start = from == null ? end.minus(java.time.Duration.ofDays(30)) : from;
        Params.order(start, end);
        return incidents.overlapping(check.id(), start, end, limit == null ? INCIDENTS_DEFAULT_LIMIT : limit, now);
    }

    /** Plain JDBC, not the entity: the uptime and history paths need only the row, and fast. */
    private CheckView find(long id) {
        return checks.byId(id).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("no check with id " + id);
    }
}
