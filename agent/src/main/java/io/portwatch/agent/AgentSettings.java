package io.portwatch.agent;

import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.probe.ProbeLimits;
import io.portwatch.agent.spool.FsyncPolicy;
import io.portwatch.agent.transport.CollectorSettings;
import io.quarkus.runtime.configuration.MemorySize;
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
    @WithDefault("" + CheckDirectoryLoader.MAX_INSTANCES_PER_CHECK) // 1024
    int maxInstancesPerCheck();

    /** Stable identity of this agent; defaults to the host name. */
    Optional<String> agentId();

    /** Labels sent in Hello, e.g. {@code portwatch.labels.site=fra1}. */
    Map<String, String> labels();

    /** The stream to the collector, {@code portwatch.collector.*}: the link's settings, beside it. */
    CollectorSettings collector();

    Probe probe();

    Spool spool();

    Inventory inventory();

    /** The listening inventory, {@code portwatch.inventory.*}: this host's listening sockets, sent to the collector. */
    interface Inventory {
        /** Off, the agent neither reads /proc for it nor sends it. */
        @WithDefault("true")
        boolean enabled();

        /** How often /proc/net is read; a changed set is sent at once. */
        @WithDefault("60s")
        Duration interval();

        /** At most this many sockets are sent (those first by protocol and port); the message says when more were left out. */
        @WithDefault("4096")
        int maxSockets();
    }

    /**
     * The on-disk spool of batches not yet acknowledged by the collector: appended before they
     * are sent, removed when acknowledged, re-sent after a restart (docs/reliability.md).
     */
    interface Spool {
        /** Directory of the segment files; created when missing. */
        @WithDefault("data/spool")
        String dir();

        /** The spool never grows past this; when full, its oldest segment is dropped (and counted). */
        @WithDefault("256M")
        MemorySize maxBytes();

        /** Size at which a segment file is closed and a new one started (at most a quarter of max-bytes). */
        @WithDefault("8M")
        MemorySize segmentBytes();

        /**
         * When appended batches are forced to the disk: {@code batch} (each one, before it is sent),
         * {@code interval} (at most every fsync-interval) or {@code never} (the OS decides). A
         * killed process loses nothing in any mode; a power loss may lose what was not forced.
         */
        @WithDefault("batch")
        FsyncPolicy fsync();

        @WithDefault("1s")
        Duration fsyncInterval();

        /** While the disk refuses writes, batches wait in memory and the disk is tried again this often. */
        @WithDefault("10s")
        Duration retryInterval();

        /**
         * Serialized bytes of the batches kept in memory while the disk refuses writes (they are
         * held serialized, so this is what they take of the heap); past this the oldest are
         * dropped (and counted).
         */
        @WithDefault("4M")
        MemorySize memoryMaxBytes();
    }

    interface Probe {
        /** Probes in flight at once, across all targets. */
        @WithDefault("" + ProbeLimits.DEFAULT_MAX_IN_FLIGHT) // 128
        int maxInFlight();

        /** Probes in flight at once against one IP address. */
        @WithDefault("" + ProbeLimits.DEFAULT_MAX_IN_FLIGHT_PER_TARGET) // 4
        int maxInFlightPerTarget();

        /**
         * UDP probe starts per second per IP address; lower it (to 1) to stay inside Linux's
         * per-destination ICMP limit when many closed UDP ports of one host are checked.
         */
        @WithDefault("" + ProbeLimits.DEFAULT_UDP_STARTS_PER_SECOND) // 20
        double udpStartsPerSecond();

        /** UDP probe starts per IP address allowed at once before the rate applies. */
        @WithDefault("" + ProbeLimits.DEFAULT_UDP_BURST) // 5
        int udpBurst();

        /** How long a resolved host name is used (the JDK does not expose record TTLs). */
        @WithDefault("30s")
        Duration dnsCacheTtl();

        /** How long a name that did not resolve is not looked up again. */
        @WithDefault("5s")
        Duration dnsNegativeCacheTtl();

        /**
         * A trust store (PKCS12 or JKS) that TLS probes validate certificates against instead of
         * the JVM's default one, e.g. for an internal CA.
         */
        Optional<String> tlsTrustStore();

        Optional<String> tlsTrustStorePassword();
    }
}
