package io.portwatch.agent.transport;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of the stream to the collector, {@code portwatch.collector.*}: a group of
 * {@code AgentSettings} (the agent's one {@code @ConfigMapping}), kept beside the {@link
 * CollectorLink} that reads them so that the link needs nothing from the agent's root package.
 */
public interface CollectorSettings {

    /** Host of the collector's HTTP/gRPC port. */
    @WithDefault("localhost")
    String host();

    @WithDefault("8080")
    int port();

    /**
     * Bearer token sent as {@code authorization} metadata: the collector's shared token or a
     * per-agent one ({@code pwa_…}); the agent does not tell them apart.
     */
    Optional<String> token();

    /**
     * TLS to the collector, through the Quarkus TLS registry configuration {@code collector}
     * that CollectorTlsConfig derives from these settings.
     */
    Tls tls();

    interface Tls {
        /** CA certificates (PEM) the collector's certificate must chain to; when set, the agent speaks TLS only. */
        Optional<Path> ca();

        /** This agent's client certificate (PEM), for a collector that requires one (mTLS); with {@code key}. */
        Optional<Path> cert();

        /** The private key of {@code cert} (PEM). */
        Optional<Path> key();
    }

    /** Results are sent at least this often (and sooner when a batch is full). */
    @WithDefault("1s")
    Duration flushInterval();

    @WithDefault("500")
    int maxBatchSize();

    /**
     * Batches sent on a stream and not yet acknowledged; beyond this the agent waits for acks
     * and the rest stays in the spool. Bounds what a collector holds of each agent: its gRPC
     * layer reads up to 16 messages of a stream ahead of what the collector asks for.
     */
    @WithDefault("8")
    int maxInFlightBatches();

    @WithDefault("500ms")
    Duration reconnectMinBackoff();

    @WithDefault("30s")
    Duration reconnectMaxBackoff();

    /** A heartbeat is sent when nothing else was for this long. */
    @WithDefault("10s")
    Duration heartbeatInterval();
}
