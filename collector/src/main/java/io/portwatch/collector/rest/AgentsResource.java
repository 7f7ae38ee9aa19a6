package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.agent.AgentEntity;
import io.portwatch.collector.agent.AgentRepository;
import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.check.CheckView;
import io.portwatch.collector.input.InputLimits;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/agents")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class AgentsResource {

    private final InputLimits limits;
    private final AgentRepository agents;
    private final CheckRepository checks;

    AgentsResource(InputLimits limits, AgentRepository agents, CheckRepository checks) {
        this.limits = limits;
        this.agents = agents;
        this.checks = checks;
    }

    @GET
    @Operation(summary = "Every agent that has connected, with its last contact")
    public List<AgentView> list() {
        return agents.listById().stream()
                .map(a -> AgentView.of(a, catalogSize(a.id), null))
                .toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One agent with the check instances of its current catalog")
    public AgentView get(@PathParam("id") String rawId) {
        String id = Params.segment("agent id", rawId, limits.values().nameLength());
        AgentEntity agent = agents.findById(id);
        if (agent == null) {
            throw ProblemException.notFound("no agent with id \"" + id + "\"");
        }
        List<CheckView> instances = checks.catalogOf(id);
        return AgentView.of(agent, instances.size(), instances);
    }

    private long catalogSize(String agentId) {
        return checks.catalogSize(agentId);
    }
}
