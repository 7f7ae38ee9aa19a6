package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.check.CheckFilter;
import io.portwatch.collector.check.CheckQueries;
import io.portwatch.collector.check.CheckView;
import io.portwatch.collector.history.HistoryPage;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.history.ResultRepository;
import io.portwatch.collector.uptime.IncidentRepository;
import io.portwatch.collector.uptime.IncidentView;
import io.portwatch.collector.uptime.UptimeReport;
import io.portwatch.collector.uptime.UptimeService;
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

    private final CheckQueries checks;
    private final ResultRepository results;
    private final UptimeService uptime;
    private final IncidentRepository incidents;
    private final InputLimits limits;
    private final Clock clock = Clock.systemUTC();

    ChecksResource(CheckQueries checks, ResultRepository results, UptimeService uptime, IncidentRepository incidents,
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
            @Parameter(description = "0-65535") @QueryParam("port") String port,
            @Parameter(description = "tcp or udp") @QueryParam("proto") String proto,
            @Parameter(description = "open, closed, filtered, open_filtered, error: the last known state;"
                    + " unknown: the checks whose effectiveState is UNKNOWN (agent down)") @QueryParam("state") String state,
            @Parameter(description = "true or false") @QueryParam("healthy") String healthy,
            @Parameter(description = "1-10000, default 1000") @QueryParam("limit") String limit,
            @Parameter(description = "return checks with id greater than this (paging)") @QueryParam("after") String after,
            @Context UriInfo uri) {
        CheckFilter filter = new CheckFilter(Params.text("agent", agent, limits.values().nameLength()),
                Params.text("target", target, limits.values().hostLength()), Params.port("port", port),
                Params.choice("proto", proto, Protocol.class), Params.choice("state", state, PortState.class),
                Params.bool("healthy", healthy));
        int max = Params.limit(limit, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
        long afterId = after == null || after.isBlank() ? 0 : Params.id("after", after);
        // The page is read whole first: the Link header depends on its end, and the connection
        // goes back to the pool before a slow client reads 3.8 MB.
        CheckQueries.Page end = checks.list(filter, afterId, max);
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
    public CheckView get(@PathParam("id") String id) {
        return find(id);
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "Raw results, newest first, paged by cursor")
    public HistoryPage history(
            @PathParam("id") String id,
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
            @Parameter(description = "1-1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        CheckView check = find(id);
        Instant fromAt = Params.instant("from", from);
        Instant toAt = Params.instant("to", to);
        Params.order(fromAt, toAt);
        int max = Params.limit(limit, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT);
        return results.page(check.id(), fromAt, toAt, cursor, max);
    }

    @GET
    @Path("/{id}/uptime")
    @Operation(summary = "Uptime %, samples by state, latency p50/p95/p99 and incidents over a window"
            + " (24h, 7d, 30d, 365d) or from/to")
    public UptimeReport uptime(
            @PathParam("id") String id,
            @Parameter(description = "24h (default), 7d, 30d, 365d: hours or days up to 400d") @QueryParam("window") String window,
            @Parameter(description = "ISO-8601 instant; with to, replaces window") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, default now") @QueryParam("to") String to) {
        long checkId = Params.id("check id", id);
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
            @PathParam("id") String id,
            @Parameter(description = "ISO-8601 instant, default 30 days before to") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, default now") @QueryParam("to") String to,
            @Parameter(description = "1-1000, default 100") @QueryParam("limit") String limit) {
        CheckView check = find(id);
        Instant now = clock.instant();
        Instant toAt = Params.instant("to", to);
        Instant end = toAt == null ? now : toAt;
        Instant fromAt = Params.instant("from", from);
        Instant start = fromAt == null ? end.minus(java.time.Duration.ofDays(30)) : fromAt;
        Params.order(start, end);
        return incidents.overlapping(check.id(), start, end, Params.limit(limit, INCIDENTS_DEFAULT_LIMIT, HISTORY_MAX_LIMIT), now);
    }

    /** Plain JDBC, not the entity: the uptime and history paths need only the row, and fast. */
    private CheckView find(String rawId) {
        long id = Params.id("check id", rawId);
        return checks.byId(id).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("no check with id " + id);
    }
}
