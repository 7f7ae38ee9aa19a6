package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.rule.RuleError;
import io.portwatch.collector.alert.silence.Silence;
import io.portwatch.collector.alert.silence.SilenceReader;
import io.portwatch.collector.alert.silence.SilenceRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Silences: alerts they match are recorded but not notified while they are active. */
@Path("/api/v1/silences")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class SilencesResource {

    private final SilenceRepository silences;
    private final Clock clock = Clock.systemUTC();

    SilencesResource(SilenceRepository silences) {
        this.silences = silences;
    }

    @GET
    @Operation(summary = "Silences, newest first, each with its status now (pending, active, expired)")
    public List<SilenceView> list(@Parameter(description = "pending, active or expired") @QueryParam("status") String status) {
        Silence.Status wanted = Params.choice("status", status, Silence.Status.class);
        Instant now = clock.instant();
        return silences.all().stream().filter(s -> wanted == null || s.status(now) == wanted)
                .map(s -> SilenceView.of(s, now)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One silence")
    public SilenceView get(@PathParam("id") String id) {
        long silenceId = Params.id("silence id", id);
        return SilenceView.of(silences.byId(silenceId).orElseThrow(() -> notFound(silenceId)), clock.instant());
    }

    @POST
    @RolesAllowed(Role.Names.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a silence: matchers, startsAt (default now), endsAt, comment, createdBy")
    public Response create(String body) {
        Instant now = clock.instant();
        Silence s = silences.insert(read(body, now), now);
        return Response.created(URI.create("/api/v1/silences/" + s.id())).entity(SilenceView.of(s, now)).build();
    }

    @PUT
    @RolesAllowed(Role.Names.OPERATOR)
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a silence (to end one early, set endsAt to now or delete it)")
    public SilenceView replace(@PathParam("id") String id, String body) {
        long silenceId = Params.id("silence id", id);
        Instant now = clock.instant();
        if (!silences.replace(silenceId, read(body, now))) {
            throw notFound(silenceId);
        }
        return SilenceView.of(silences.byId(silenceId).orElseThrow(() -> notFound(silenceId)), now);
    }

    @DELETE
    @RolesAllowed(Role.Names.OPERATOR)
    @Path("/{id}")
    @Operation(summary = "Deletes a silence")
    public Response delete(@PathParam("id") String id) {
        long silenceId = Params.id("silence id", id);
        if (!silences.delete(silenceId)) {
            throw notFound(silenceId);
        }
        return Response.noContent().build();
    }

    private static SilenceReader.Draft read(String body, Instant now) {
        SilenceReader.Parsed parsed = SilenceReader.read(body == null ? "" : body, now);
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.badRequest("silence: " + parsed.errors().stream().map(RuleError::message)
                    .collect(Collectors.joining("; ")));
        }
        return parsed.draft();
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("no silence with id " + id);
    }
}
