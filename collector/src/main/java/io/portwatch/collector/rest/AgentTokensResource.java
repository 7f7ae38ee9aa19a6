package io.portwatch.collector.rest;

import io.portwatch.collector.audit.AuditLog;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.security.AgentToken;
import io.portwatch.collector.security.AgentTokenRepository;
import io.portwatch.collector.security.IssuedSecret;
import io.portwatch.collector.security.Role;
import io.portwatch.collector.security.SecretKind;
import io.portwatch.collector.security.TokenStreams;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Per-agent ingest tokens: each binds the streams that present it to one agent id. The plaintext
 * is answered once, on creation; revoking a token refuses its next streams and ends those running
 * on this replica.
 */
@Path("/api/v1/agents/{agent}/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.Names.ADMIN)
public class AgentTokensResource {

    private final AgentTokenRepository tokens;
    private final TokenStreams streams;
    private final AuditLog audit;
    private final InputLimits limits;
    private final SecurityIdentity identity;
    private final Clock clock = Clock.systemUTC();

    AgentTokensResource(AgentTokenRepository tokens, TokenStreams streams, AuditLog audit, InputLimits limits,
            SecurityIdentity identity) {
        this.tokens = tokens;
        this.streams = streams;
        this.audit = audit;
        this.limits = limits;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The agent's tokens, newest first, revoked ones included; hints only")
    public List<AgentTokenView> list(@PathParam("agent") String rawAgent) {
        return tokens.ofAgent(agent(rawAgent)).stream().map(AgentTokenView::of).toList();
    }

    @POST
    @Operation(summary = "Creates a token for the agent; the answer holds the secret, shown this once")
    public Response create(@PathParam("agent") String rawAgent) {
        String agent = agent(rawAgent);
        IssuedSecret secret = IssuedSecret.issue(SecretKind.AGENT_TOKEN);
        Instant now = clock.instant();
        AgentToken token = QuarkusTransaction.requiringNew().call(() -> {
            AgentToken t = tokens.insert(agent, secret, caller(), now);
            audit.record("agent-token.create", target(t), null, AgentTokenView.of(t));
            return t;
        });
        Log.infof("agent token %d (%s) created for agent %s by %s", token.id(), token.hint(), agent, caller());
        return Response.created(URI.create("/api/v1/agents/" + agent + "/tokens/" + token.id()))
                .entity(new IssuedAgentToken(token.id(), agent, token.hint(), now, token.createdBy(), secret.plaintext()))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revokes a token: its next streams are refused and its live ones end")
    public Response revoke(@PathParam("agent") String rawAgent, @PathParam("id") String rawId) {
        String agent = agent(rawAgent);
        long id = Params.id("token id", rawId);
        Instant now = clock.instant();
        boolean revoked = QuarkusTransaction.requiringNew().call(() -> {
            AgentToken before = tokens.byId(agent, id).orElseThrow(
                    () -> ProblemException.notFound("agent " + agent + " has no token with id " + id));
            if (!tokens.revoke(agent, id, now)) {
                return false; // revoked before: nothing changes
            }
            AgentToken after = tokens.byId(agent, id).orElseThrow();
            audit.record("agent-token.revoke", target(after), AgentTokenView.of(before), AgentTokenView.of(after));
            return true;
        });
        if (revoked) {
            // After the commit: a stream that reconnects at once must find the token revoked.
            int ended = streams.revoke(id, "agent token " + id + " was revoked");
            Log.infof("agent token %d of agent %s revoked by %s; %d live streams ended", id, agent, caller(), ended);
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

    private static String target(AgentToken t) {
        return "agent/" + t.agentId() + "/token/" + t.id();
    }
}
