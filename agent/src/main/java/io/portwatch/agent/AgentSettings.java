package io.portwatch.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of the agent, with defaults: prefix {@code portwatch}, env vars {@code PORTWATCH_*}. */
@ConfigMapping(prefix = "portwatch")
public interface AgentSettings {

    /** Directory of check files ({@code *.yaml}, {@code *.yml}). */
    @WithDefault("checks.d")
    String checksDir();

    /**
     * How often the check directory is re-read; a changed, valid directory replaces the running
     * config. Changes are also picked up within a second by watching the directory; this scan is
     * the fallback where watching misses them.
     */
    @WithDefault("5s")
    Duration reloadInterval();

    /**
     * A check that expands to more instances (targets x ports) than this is a config error: keeps
     * one careless range from flooding probes and storage.
     */
    @WithDefault("1024")
    int maxInstancesPerCheck();

    /** Stable identity of this agent; defaults to the host name. */
    Optional<String> agentId();

    /** Labels sent in Hello, e.g. {@code portwatch.labels.site=fra1}. */
    Map<String, String> labels();

    Collector collector();

    Probe probe();

    interface Collector {
        /** Host of the collector's HTTP/gRPC port. */
        @WithDefault("localhost")
        String host();

        @WithDefault("8080")
        int port();

        /** Bearer token sent as {@code authorization} metadata, when the collector requires one. */
        Optional<String> token();

        /** Results are sent at least this often (and sooner when a batch is full). */
        @WithDefault("1s")
        Duration flushInterval();

        @WithDefault("500")
        int maxBatchSize();

        /** Unacked batches kept for re-sending; past this the oldest are dropped (and counted). */
        @WithDefault("10000")
        int maxPendingBatches();

        @WithDefault("500ms")
        Duration reconnectMinBackoff();

        @WithDefault("30s")
        Duration reconnectMaxBackoff();

        /** A heartbeat is sent when nothing else was for this long. */
        @WithDefault("10s")
        Duration heartbeatInterval();
    }

    interface Probe {
        /** Probes in flight at once, across all targets. */
        @WithDefault("128")
        int maxInFlight();
    }
}
