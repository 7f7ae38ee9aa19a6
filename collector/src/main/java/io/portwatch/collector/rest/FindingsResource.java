package io.portwatch.collector.rest;

import io.portwatch.collector.finding.Finding;
import io.portwatch.collector.finding.FindingKind;
import io.portwatch.collector.finding.FindingService;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Findings: a host's listening sockets joined with the other agents' checks of it, each with its evidence. */
@Path("/api/v1/findings")
@RolesAllowed(Role.Names.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class FindingsResource {

    private final FindingService findings;
    private final InputLimits limits;

    FindingsResource(FindingService findings, InputLimits limits) {
        this.findings = findings;
        this.limits = limits;
    }

    @GET
    @Operation(summary = "Every finding now, by host agent, protocol and port")
    public List<Finding> list(
            @Parameter(description = "listening-but-unreachable, bound-to-loopback-only, reachable-but-undeclared or declared-but-not-listening",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"listening-but-unreachable",
                            "bound-to-loopback-only", "reachable-but-undeclared", "declared-but-not-listening"}))
            @QueryParam("kind") String kind,
            @Parameter(description = "the agent of the host the finding is about") @QueryParam("agent") String agent) {
        FindingKind wanted = null;
        if (kind != null) {
            wanted = java.util.Arrays.stream(FindingKind.values()).filter(k -> k.id().equals(kind)).findFirst()
                    .orElseThrow(() -> ProblemException.badRequest("kind " + io.portwatch.collector.input.TextRule.shown(kind) + " must be one of "
                            + java.util.Arrays.stream(FindingKind.values()).map(FindingKind::id).toList()));
        }
        return findings.findings(wanted, agent == null ? null : Params.text("agent", agent, limits.values().nameLength()));
    }
}
