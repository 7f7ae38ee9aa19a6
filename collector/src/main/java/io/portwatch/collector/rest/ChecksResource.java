package io.portwatch.collector.rest;

import io.portwatch.collector.check.CheckEntity;
import io.portwatch.collector.history.HistoryPage;
import io.portwatch.collector.history.ResultRepository;
import io.portwatch.collector.uptime.UptimeReport;
import io.portwatch.collector.uptime.UptimeService;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/checks")
@Produces(MediaType.APPLICATION_JSON)
public class ChecksResource {

    static final int HISTORY_DEFAULT_LIMIT = 100;
    static final int HISTORY_MAX_LIMIT = 1000;

    private final ResultRepository results;
    private final UptimeService uptime;
    private final Clock clock = Clock.systemUTC();

    ChecksResource(ResultRepository results, UptimeService uptime) {
        this.results = results;
        this.uptime = uptime;
    }

    @GET
    @Operation(summary = "Every check instance of every agent with its current state")
    public List<CheckView> list() {
        return CheckEntity.<CheckEntity>listAll(Sort.by("id")).stream().map(CheckView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One check instance with its current state")
    public CheckView get(@PathParam("id") String id) {
        return CheckView.of(find(id));
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
        CheckEntity check = find(id);
        Instant fromAt = Params.instant("from", from);
        Instant toAt = Params.instant("to", to);
        Params.order(fromAt, toAt);
        int max = Params.limit(limit, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT);
        return results.page(check.id, fromAt, toAt, cursor, max);
    }

    @GET
    @Path("/{id}/uptime")
    @Operation(summary = "Uptime % and samples by state over a window (24h, 7d, 30d, 365d) or from/to")
    public UptimeReport uptime(
            @PathParam("id") String id,
            @Parameter(description = "24h (default), 7d, 30d, 365d: hours or days up to 400d") @QueryParam("window") String window,
            @Parameter(description = "ISO-8601 instant; with to, replaces window") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, default now") @QueryParam("to") String to) {
        CheckEntity check = find(id);
        Instant now = clock.instant();
        Instant fromAt = Params.instant("from", from);
        Instant toAt = Params.instant("to", to);
        if (fromAt != null && window != null) {
            throw ProblemException.badRequest("give either window or from/to, not both");
        }
        if (fromAt == null) {
            String w = window == null ? "24h" : window;
            Instant end = toAt == null ? now : toAt;
            return uptime.uptime(check, w, end.minus(Params.window(w)), end);
        }
        Instant end = toAt == null ? now : toAt;
        Params.order(fromAt, end);
        return uptime.uptime(check, null, fromAt, end);
    }

    private static CheckEntity find(String rawId) {
        long id = Params.id("check id", rawId);
        CheckEntity check = CheckEntity.findById(id);
        if (check == null) {
            throw ProblemException.notFound("no check with id " + id);
        }
        return check;
    }
}
