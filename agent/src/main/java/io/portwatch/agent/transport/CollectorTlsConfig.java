package io.portwatch.agent.transport;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code portwatch.collector.tls.ca} (and {@code .cert}/{@code .key} for mTLS) into the
 * Quarkus settings of the {@code collector} gRPC client: a TLS registry configuration named
 * {@code collector} whose trust store is the CA and whose key store is the client certificate, and
 * the client using it. Without {@code ca} the client stays plaintext.
 *
 * <p>A config source, not expressions in application.properties: an empty PEM path would read as
 * a key store missing its files. Its ordinal sits just above application.properties, so an
 * environment variable or system property still wins.
 */
public final class CollectorTlsConfig implements ConfigSourceFactory {

    /** The name of the TLS registry configuration of the collector client. */
    public static final String TLS_CONFIGURATION = "collector";
    private static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String ca = value(context, "portwatch.collector.tls.ca");
        String cert = value(context, "portwatch.collector.tls.cert");
        String key = value(context, "portwatch.collector.tls.key");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("portwatch.collector.tls.cert and portwatch.collector.tls.key go together: "
                    + (cert == null ? "portwatch.collector.tls.cert" : "portwatch.collector.tls.key") + " is not set");
        }
        if (ca == null) {
            if (cert != null) {
                throw new IllegalArgumentException("portwatch.collector.tls.cert needs TLS: set portwatch.collector.tls.ca too");
            }
            return List.of();
        }
        String prefix = "quarkus.tls." + TLS_CONFIGURATION + ".";
        Map<String, String> properties = new HashMap<>();
        properties.put(prefix + "trust-store.pem.certs", ca);
        if (cert != null) {
            properties.put(prefix + "key-store.pem.agent.cert", cert);
            properties.put(prefix + "key-store.pem.agent.key", key);
        }
        properties.put("quarkus.grpc.clients.collector.tls-configuration-name", TLS_CONFIGURATION);
        properties.put("quarkus.grpc.clients.collector.plain-text", "false");
        return List.of(new PropertiesConfigSource(properties, "portwatch.collector.tls (CollectorTlsConfig)", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
