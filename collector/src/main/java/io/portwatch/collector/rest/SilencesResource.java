package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import io.portwatch.core.yaml.YamlError;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.alert.silence.Silence;
import io.portwatch.collector.alert.silence.SilenceReader;
import io.portwatch.collector.alert.silence.SilenceRepository;
import io.portwatch.collector.audit.AuditLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.validation.constraints.Positive;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Silences: alerts they match are recorded but not notified while they are active. */
@Path("/api/v1/silences")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class SilencesResource {

    private final SilenceRepository silences;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    SilencesResource(SilenceRepository silences, AuditLog audit) {
        this.silences = silences;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Silences, newest first, each with its status now (pending, active, expired)")
    public List<SilenceView> list(
            @Parameter(description = "pending, active or expired (any case)") @QueryParam("status") Silence.Status wanted) {
        Instant now = clock.instant();
        return silences.all().stream().filter(s -> wanted == null || s.status(now) == wanted)
                .map(s -> SilenceView.of(s, now)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One silence")
    public SilenceView get(@PathParam("id") @ParamName("silence id") @Positive Long silenceId) {
        return SilenceView.of(silences.byId(silenceId).orElseThrow(() -> notFound(silenceId)), clock.instant());
    }

    @POST
    @RolesAllowed(Role.Names.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a silence: matchers, startsAt (default now), endsAt, comment, createdBy")
    @APIResponse(responseCode = "201", description = "the silence as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SilenceView.class)))
    public Response create(@org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SilenceRequest.class))) String body) {
        Instant now = clock.instant();
        SilenceReader.Draft draft = read(body, now);
        // One transaction for the write and its audit record: both commit, or neither.
        SilenceView view = QuarkusTransaction.joiningExisting().call(() -> {
            SilenceView created = SilenceView.of(silences.insert(draft, now), now);
            audit.record("silence.create", target(created.id()), null, created);
            return created;
        });
        return Response.created(URI.create("/api/v1/silences/" + view.id())).entity(view).build();
    }

    @PUT
    @RolesAllowed(Role.Names.OPERATOR)
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replaces a silence (to end one early, set endsAt to now or delete it)")
    public SilenceView replace(@PathParam("id") @ParamName("silence id") @Positive Long silenceId,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SilenceRequest.class))) String body) {
        Instant now = clock.instant();
        SilenceReader.Draft draft = read(body, now);
        return QuarkusTransaction.joiningExisting().call(() -> {
            SilenceView before = SilenceView.of(silences.lock(silenceId).orElseThrow(() -> notFound(silenceId)), now);
            silences.replace(silenceId, draft);
            SilenceView after = SilenceView.of(silences.byId(silenceId).orElseThrow(() -> notFound(silenceId)), now);
            audit.record("silence.update", target(silenceId), before, after);
            return after;
        });
    }

    @DELETE
    @RolesAllowed(Role.Names.OPERATOR)
    @Path("/{id}")
    @Operation(summary = "Deletes a silence")
    public Response delete(@PathParam("id") @ParamName("silence id") @Positive Long silenceId) {
        Instant now = clock.instant();
        QuarkusTransaction.joiningExisting().run(() -> {
            SilenceView before = SilenceView.of(silences.lock(silenceId).orElseThrow(() -> notFound(silenceId)), now);
            silences.delete(silenceId);
            audit.record("silence.delete", target(silenceId), before, null);
        });
        return Response.noContent().build();
    }

    private static SilenceReader.Draft read(String body, Instant now) {
        SilenceReader.Parsed parsed = SilenceReader.read(body == null ? "" : body, now);
        if (!parsed.errors().isEmpty()) {
            throw ProblemException.badRequest("silence: " + parsed.errors().stream().map(YamlError::message)
                    .collect(Collectors.joining("; ")));
        }
        return parsed.draft();
    }

    private static String target(long id) {
        return "silence/" + id;
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("no silence with id " + id);
    }
}
