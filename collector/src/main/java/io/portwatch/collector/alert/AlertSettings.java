package io.portwatch.collector.alert;

import io.portwatch.collector.alert.rule.Severity;
import io.smallrye.config.ConfigMapping;
import io.portwatch.core.IntervalOrOffConverter;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The alert engine's settings: prefix {@code portwatch.alerts}, env vars {@code PORTWATCH_ALERTS_*}. */
@ConfigMapping(prefix = "portwatch.alerts")
public interface AlertSettings {

    /**
     * The alert rules file (YAML). When it does not exist only the shipped default rule (any
     * unhealthy check, after 3 results) is in force; when it has errors the collector does not start.
     */
    @WithDefault("config/alert-rules.yaml")
    java.nio.file.Path rulesFile();

    /** An agent silent (no batch, heartbeat or hello) this long raises one AGENT_DOWN alert. */
    @WithDefault("60s")
    Duration agentDownAfter();

    /** Severity of AGENT_DOWN alerts: critical, warning or info. */
    @WithDefault("critical")
    Severity agentDownSeverity();

    /** Notifiers told of AGENT_DOWN alerts; none given means every configured notifier. */
    Optional<List<String>> agentDownChannels();

    /** A check instance of a live agent with no result for this many of its intervals raises NO_DATA. */
    @WithDefault("3")
    int noDataIntervals();

    /**
     * How often the leader sweeps: {@code for:} conditions, agent-down, no-data. {@code off}
     * (empty here) disables the sweep (tests drive it themselves).
     */
    @WithDefault("5s")
    @WithConverter(IntervalOrOffConverter.class)
    Optional<Duration> sweepInterval();

    /**
     * How often the leader takes the batches that other replicas stored (alert_inbox) for
     * evaluation. Agents connected to a follower are evaluated this much later than those
     * connected to the leader.
     */
    @WithDefault("1s")
    Duration inboxInterval();

    /** Evaluation work queued beyond this many batches makes ingest wait (back-pressure). */
    @WithDefault("10000")
    int queueCapacity();

    /**
     * Results of stored batches queued for evaluation beyond this make ingest wait, and with
     * it the agents (back-pressure). A queued result holds about 250 bytes of heap: the
     * default about 12 MB. The engine evaluates up to 64 queued batches in one transaction.
     */
    @WithDefault("50000")
    int maxQueuedResults();
}
