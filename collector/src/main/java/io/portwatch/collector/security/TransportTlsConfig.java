package io.portwatch.collector.security;

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
 * Turns {@code portwatch.tls.cert}, {@code .key} and {@code .client-ca} into the Quarkus settings
 * they imply, so that one user-facing setting switches the whole transport: the TLS registry
 * configuration {@code portwatch} (key store, and the client CA as its trust store), the HTTP
 * server using it, and plaintext requests refused. Without the settings it adds nothing and the
 * collector serves plaintext on quarkus.http.port as before.
 *
 * <p>A config source rather than expressions in application.properties: the registry would read
 * {@code quarkus.tls.portwatch.key-store.pem.*} with an empty value as a key store missing its
 * files, and there is no expression for "this key only when that one is set". Its ordinal sits
 * just above application.properties, so an environment variable or system property still wins.
 */
public final class TransportTlsConfig implements ConfigSourceFactory {

    /** The name of the TLS registry configuration of the HTTP server. */
    public static final String TLS_CONFIGURATION = "portwatch";
    private static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String cert = value(context, "portwatch.tls.cert");
        String key = value(context, "portwatch.tls.key");
        String clientCa = value(context, "portwatch.tls.client-ca");
        if (cert == null && key == null) {
            if (clientCa != null) {
                throw new IllegalArgumentException("portwatch.tls.client-ca needs TLS: set portwatch.tls.cert and portwatch.tls.key too");
            }
            return List.of();
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("portwatch.tls.cert and portwatch.tls.key go together: "
                    + (cert == null ? "portwatch.tls.cert" : "portwatch.tls.key") + " is not set");
        }
        String prefix = "quarkus.tls." + TLS_CONFIGURATION + ".";
        Map<String, String> properties = new HashMap<>();
        properties.put(prefix + "key-store.pem.server.cert", cert);
        properties.put(prefix + "key-store.pem.server.key", key);
        if (clientCa != null) {
            properties.put(prefix + "trust-store.pem.certs", clientCa);
        }
        properties.put("quarkus.http.tls-configuration-name", TLS_CONFIGURATION);
        properties.put("quarkus.http.insecure-requests", "disabled");
        return List.of(new PropertiesConfigSource(properties, "portwatch.tls (TransportTlsConfig)", ORDINAL));
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
