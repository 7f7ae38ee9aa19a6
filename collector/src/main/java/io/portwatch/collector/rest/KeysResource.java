package io.portwatch.collector.rest;

import io.portwatch.collector.security.ApiKeyService;
import io.portwatch.collector.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** API keys for this API: issued (the secret is shown once), listed by hint, revoked. Admins only. */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class KeysResource {

    /** What a new key is: a name people recognise it by, and its role. */
    public record CreateKey(
            @NotBlank @Size(max = 128) String name,
            @NotNull @Pattern(regexp = "viewer|operator|admin", message = "must be viewer, operator or admin") String role) {}

    /** A key just issued, with its secret: the only time the API shows it. */
    public record CreatedKey(long id, String name, String role, String hint, Instant createdAt, String createdBy,
            String secret) {}

    private final ApiKeyService keys;
    private final SecurityIdentity caller;

    KeysResource(ApiKeyService keys, SecurityIdentity caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Every API key, revoked ones too, newest first; secrets are never shown, only hints")
    public List<ApiKeyView> list() {
        return keys.list().stream().map(ApiKeyView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issues a key; the answer holds its secret, shown this once and stored only as a hash")
    @APIResponse(responseCode = "201", description = "the key, with its secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedKey.class)))
    public Response create(@Valid @NotNull CreateKey body) {
        var issued = keys.create(body.name().strip(), Role.parse(body.role()).orElseThrow(), caller.getPrincipal().getName());
        var k = issued.key();
        return Response.created(URI.create("/api/v1/keys/" + k.id()))
                .entity(new CreatedKey(k.id(), k.name(), k.role().wireName(), k.hint(), k.createdAt(), k.createdBy(),
                        issued.secret()))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revokes a key: it fails authentication from the next request on. "
            + "The last unrevoked admin key cannot be revoked here (409); the CLI can.")
    @APIResponse(responseCode = "204", description = "revoked")
    @APIResponse(responseCode = "409", description = "already revoked, or the last admin key")
    public Response revoke(@PathParam("id") @ParamName("key id") @Positive Long id) {
        var refusal = keys.revoke(id, true);
        if (refusal.isPresent()) {
            throw switch (refusal.get()) {
                case NOT_FOUND -> ProblemException.notFound("no API key with id " + id);
                case ALREADY_REVOKED -> new ProblemException(409, "Conflict", "API key " + id + " is already revoked");
                case LAST_ADMIN_KEY -> new ProblemException(409, "Conflict", "API key " + id
                        + " is the last admin key; issue another admin key first (or revoke it with the CLI)");
            };
        }
        return Response.noContent().build();
    }
}
