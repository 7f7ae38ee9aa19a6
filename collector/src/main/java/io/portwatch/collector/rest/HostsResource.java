package io.portwatch.collector.rest;

import io.portwatch.collector.agent.AgentRepository;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.inventory.ListeningChange;
import io.portwatch.collector.inventory.ListeningHostEntity;
import io.portwatch.collector.inventory.ListeningRepository;
import io.portwatch.collector.inventory.ListeningSocketView;
import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Each agent's host from the inside: the sockets that listen on it, now or at a time, and their changes. */
@Path("/api/v1/hosts/{agent}/listening")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {

    static final int CHANGES_MAX_LIMIT = 1000;

    private final InputLimits limits;
    private final AgentRepository agents;
    private final ListeningRepository listening;
    private final Clock clock = Clock.systemUTC();

    HostsResource(InputLimits limits, AgentRepository agents, ListeningRepository listening) {
        this.limits = limits;
        this.agents = agents;
        this.listening = listening;
    }

    /**
     * @param observedAt when the agent last read its sockets
     * @param truncated the agent had more sockets than it may send: the list lacks some
     * @param addresses the host's addresses (every interface but loopback), as of observedAt
     */
    public record Listening(String agent, Instant at, Instant observedAt, boolean truncated, List<String> addresses,
            List<ListeningSocketView> sockets) {}

    public record Changes(String agent, Instant from, Instant to, List<ListeningChange> changes) {}

    @GET
    @Transactional
    @Operation(summary = "The sockets listening on the agent's host (TCP LISTEN, UDP bound), now or at a given time")
    public Listening at(@PathParam("agent") String rawAgent,
            @Parameter(description = "ISO-8601 instant, default now") @QueryParam("at") Instant at) {
        String agent = agent(rawAgent);
        ListeningHostEntity host = host(agent);
        Instant when = at == null ? clock.instant() : at;
        return new Listening(agent, when, host.observedAt, host.truncated, List.of(host.addresses),
                listening.at(agent, when));
    }

    @GET
    @Path("/changes")
    @Transactional
    @Operation(summary = "Sockets that appeared on or went from the agent's host, newest first (default: the last 7 days)")
    public Changes changes(@PathParam("agent") String rawAgent,
            @Parameter(description = "inclusive, default 7 days before to") @QueryParam("from") Instant from,
            @Parameter(description = "exclusive, default now") @QueryParam("to") Instant to,
            @Parameter(description = "default 100") @QueryParam("limit") @Min(1) @Max(CHANGES_MAX_LIMIT) Integer limit) {
        String agent = agent(rawAgent);
        host(agent);
        Instant end = to == null ? clock.instant() : to;
        Instant start = from == null ? end.minus(Duration.ofDays(7)) : from;
        Params.order(start, end);
        return new Changes(agent, start, end, listening.changes(agent, start, end, limit == null ? 100 : limit));
    }

    private String agent(String raw) {
        String agent = Params.segment("agent id", raw, limits.values().nameLength());
        if (agents.findById(agent) == null) {
            throw ProblemException.notFound("no agent with id \"" + agent + "\"");
        }
        return agent;
    }

    private ListeningHostEntity host(String agent) {
        return listening.host(agent).orElseThrow(() -> ProblemException.notFound("agent \"" + agent
                + "\" has sent no listening inventory (an agent older than the inventory, one with"
                + " portwatch.inventory.enabled=false, or one that cannot read /proc)"));
    }
}
