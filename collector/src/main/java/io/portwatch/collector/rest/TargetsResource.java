package io.portwatch.collector.rest;

import io.portwatch.collector.security.Role;
import io.portwatch.core.check.Protocol;
import jakarta.annotation.security.RolesAllowed;
import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.check.CheckView;
import io.portwatch.collector.input.InputLimits;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/targets")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {

    /** One port of a target as every agent that probes it sees it. */
    public record PortView(Protocol proto, int port, List<CheckView> views) {}

    public record TargetView(String target, List<PortView> ports) {}

    private final CheckRepository checks;
    private final InputLimits limits;

    TargetsResource(CheckRepository checks, InputLimits limits) {
        this.checks = checks;
        this.limits = limits;
    }

    @GET
    @Path("/{host}")
    @Operation(summary = "Every port of a target across agents, with each agent's view of it")
    public TargetView get(@PathParam("host") String rawHost) {
        String host = Params.segment("host", rawHost, limits.values().hostLength());
        List<CheckView> all = checks.byTarget(host);
        if (all.isEmpty()) {
            throw ProblemException.notFound("no check probes target \"" + host + "\"");
        }
        Map<String, List<CheckView>> byPort = new LinkedHashMap<>();
        all.forEach(c -> byPort.computeIfAbsent(c.proto() + "/" + c.port(), k -> new ArrayList<>()).add(c));
        List<PortView> ports = byPort.values().stream()
                .map(v -> new PortView(v.get(0).proto(), v.get(0).port(), v))
                .toList();
        return new TargetView(host, ports);
    }
}
