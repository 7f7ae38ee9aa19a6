package io.portwatch.agent;

import io.portwatch.agent.config.IcmpDemand;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * DOWN while some host's UDP checks need more ICMP answers per second than the host grants
 * ({@link IcmpBudgetMonitor}). A wellness check, shown on /q/health and /q/health/well but not on
 * liveness or readiness: the agent is working as well as the target lets it, and neither a restart
 * nor taking it out of service would help. The data names each host with its needed and granted rate.
 */
@Wellness
@ApplicationScoped
public class IcmpBudgetHealthCheck implements HealthCheck {

    private final IcmpBudgetMonitor monitor;

    IcmpBudgetHealthCheck(IcmpBudgetMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("icmp-budget");
        var shortfalls = monitor.shortfalls();
        response.withData("udpHosts", monitor.hosts());
        for (IcmpBudgetMonitor.Shortfall s : shortfalls) {
            response.withData(s.target(), String.format("%d UDP checks need %s, the host grants %s (%s)", s.checks(),
                    IcmpDemand.rate(s.neededPerSecond()), IcmpDemand.rate(s.grantedPerSecond()),
                    s.learned() ? "learned" : "Linux's default"));
        }
        return (shortfalls.isEmpty() ? response.up() : response.down()).build();
    }
}
