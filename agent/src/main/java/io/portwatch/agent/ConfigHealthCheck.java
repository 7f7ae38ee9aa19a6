package io.portwatch.agent;

import io.portwatch.agent.transport.CollectorLink;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only with a valid check configuration; reports the collector link alongside (the spool has its own check). */
@Readiness
@ApplicationScoped
public class ConfigHealthCheck implements HealthCheck {

    private final ConfigReloader reloader;
    private final CollectorLink link;

    ConfigHealthCheck(ConfigReloader reloader, CollectorLink link) {
        this.reloader = reloader;
        this.link = link;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("check-config");
        reloader.activeConfig().ifPresentOrElse(
                c -> response.up().withData("instances", c.instances().size()).withData("hash", c.hash()),
                response::down);
        reloader.lastConfigError().ifPresent(e -> response.withData("error", e));
        response.withData("collectorConnected", link.connected());
        return response.build();
    }
}
