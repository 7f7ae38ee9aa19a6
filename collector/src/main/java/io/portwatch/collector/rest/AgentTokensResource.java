package io.portwatch.collector.rest;

import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.security.AgentToken;
import io.portwatch.collector.security.AgentTokenService;
import io.portwatch.collector.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
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
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Per-agent ingest tokens: each binds the streams that present it to one agent id. The plaintext
 * is answered once, on creation; revoking a token refuses its next streams and ends those running
 * on this replica.
 */
@Path("/api/v1/agents/{agent}/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class AgentTokensResource {

    private final AgentTokenService tokens;
    private final InputLimits limits;
    private final SecurityIdentity identity;

    AgentTokensResource(AgentTokenService tokens, InputLimits limits, SecurityIdentity identity) {
        this.tokens = tokens;
        this.limits = limits;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The agent's tokens, newest first, revoked ones included; hints only")
    public List<AgentToken> list(@PathParam("agent") String rawAgent) {
        return tokens.ofAgent(agent(rawAgent));
    }

    @POST
    @Operation(summary = "Creates a token for the agent; the answer holds the secret, shown this once")
    @APIResponse(responseCode = "201", description = "the token, with its secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedAgentToken.class)))
    public Response create(@PathParam("agent") String rawAgent) {
        String agent = agent(rawAgent);
        AgentTokenService.Issued issued = tokens.create(agent, caller());
        AgentToken t = issued.token();
        return Response.created(URI.create("/api/v1/agents/" + agent + "/tokens/" + t.id()))
                .entity(new IssuedAgentToken(t.id(), agent, t.hint(), t.createdAt(), t.createdBy(), issued.secret()))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revokes a token: its next streams are refused and its live ones end")
    public Response revoke(@PathParam("agent") String rawAgent,
            @PathParam("id") @ParamName("token id") @Positive Long id) {
        String agent = agent(rawAgent);
        Optional<AgentTokenService.Refusal> refusal = tokens.revoke(agent, id, caller());
        if (refusal.isPresent()) {
            // As for API keys: a second revocation is refused, so a script learns it revoked nothing.
            throw switch (refusal.get()) {
                case NOT_FOUND -> ProblemException.notFound("agent " + agent + " has no token with id " + id);
                case ALREADY_REVOKED -> new ProblemException(409, "Conflict",
                        "token " + id + " of agent " + agent + " is already revoked");
            };
        }
        return Response.noContent().build();
    }

    private String agent(String raw) {
        String agent = Params.segment("agent", raw, limits.values().nameLength());
        String rule = limits.name("agent", agent);
        if (rule != null) {
            throw ProblemException.badRequest(rule);
        }
        return agent;
    }

    private String caller() {
        return identity.isAnonymous() ? null : identity.getPrincipal().getName();
    }
}
