package io.portwatch.agent;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only with a valid check configuration; reports the collector link alongside (the spool has its own check). */
@Readiness
@ApplicationScoped
public class ConfigHealthCheck implements HealthCheck {

    private final AgentRuntime runtime;

    ConfigHealthCheck(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("check-config");
        runtime.activeConfig().ifPresentOrElse(
                c -> response.up().withData("instances", c.instances().size()).withData("hash", c.hash()),
                response::down);
        runtime.lastConfigError().ifPresent(e -> response.withData("error", e));
        if (runtime.link() != null) {
            response.withData("collectorConnected", runtime.link().connected());
        }
        return response.build();
    }
}
