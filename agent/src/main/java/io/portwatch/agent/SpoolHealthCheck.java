package io.portwatch.agent;

import io.portwatch.agent.spool.Spool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the spool's disk refuses writes: the agent still probes and sends, but what is not
 * yet acknowledged lives only in memory, so a restart would lose it.
 */
@Readiness
@ApplicationScoped
public class SpoolHealthCheck implements HealthCheck {

    private final Spool spool;

    SpoolHealthCheck(Spool spool) {
        this.spool = spool;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("spool");
        spool.dir().ifPresent(d -> response.withData("dir", d.toAbsolutePath().toString()));
        response.withData("batches", spool.batches()).withData("bytes", spool.bytes())
                .withData("dropped", spool.dropped())
                .withData("oldestUnackedSeconds", spool.oldestUnackedAge().toSeconds());
        spool.degraded().ifPresentOrElse(why -> response.down().withData("degraded", why), response::up);
        return response.build();
    }
}
