package io.portwatch.collector.leader;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows on /q/health whether this replica leads. Always UP: a follower serves the API and ingests
 * just as well, so leadership must never take a replica out of its Service.
 */
@Readiness
@ApplicationScoped
class LeaderHealthCheck implements HealthCheck {

    private final LeaderLock lock;

    LeaderHealthCheck(LeaderLock lock) {
        this.lock = lock;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("leader").up().withData("leader", lock.isLeader()).build();
    }
}
