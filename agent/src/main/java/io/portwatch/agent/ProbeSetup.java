package io.portwatch.agent;

import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.probe.ProbeLimits;
import io.portwatch.agent.probe.TlsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * How the probe settings become the engine's limits, its TLS trust and the loader's instance limit:
 * one place for the running agent ({@link AgentProducers}) and the commands that start no Quarkus
 * ({@code agent probe}, {@code agent check-config}), so both probe alike.
 */
public final class ProbeSetup {

    private ProbeSetup() {}

    public static ProbeLimits limits(AgentSettings.Probe probe) {
        return new ProbeLimits(probe.maxInFlight(), Math.min(probe.maxInFlight(), probe.maxInFlightPerTarget()),
                probe.udpStartsPerSecond(), probe.udpBurst());
    }

    /** The configured trust store (read now: a bad one fails at once), else the JVM's default, deferred. */
    public static SSLContext tls(AgentSettings.Probe probe) {
        if (probe.tlsTrustStore().isEmpty()) {
            return TlsTrust.jvmDefaultOnFirstUse();
        }
        Path store = Path.of(probe.tlsTrustStore().get());
        char[] password = probe.tlsTrustStorePassword().map(String::toCharArray).orElse(null);
        try {
            return TlsTrust.fromTrustStore(store, password);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) { // a missing file: the last
            throw new IllegalStateException("portwatch.probe.tls-trust-store " + store + ": " + e.getMessage(), e);
        }
    }

    public static CheckDirectoryLoader loader(AgentSettings settings) {
        return new CheckDirectoryLoader(settings.maxInstancesPerCheck());
    }
}
