package io.portwatch.agent;

import io.portwatch.agent.config.CheckDirectoryLoader;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.DnsCache;
import io.portwatch.agent.probe.HostResolver;
import io.portwatch.agent.probe.ProbeLimits;
import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.TlsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
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

    /**
     * Loads the trust store now when one of {@code instances} is a TLS check: on the caller's thread
     * (the reload, the command), not by the first TLS probe on the selector thread, where it would
     * hold up every probe while it runs (270-500 ms in a fresh JVM, measured at load 12).
     */
    public static void loadTrustFor(List<CheckInstance> instances, SSLContext tls) {
        if (instances.stream().anyMatch(i -> i.probe() instanceof ProbeSpec.Tcp tcp && tcp.tls())) {
            TlsTrust.resolve(tls);
        }
    }

    /** The system resolver's answers, kept as long as the settings say. */
    public static DnsCache dnsCache(AgentSettings.Probe probe, Clock clock) {
        return new DnsCache(HostResolver.SYSTEM, clock, probe.dnsCacheTtl(), probe.dnsNegativeCacheTtl());
    }

    public static CheckDirectoryLoader loader(AgentSettings settings) {
        return new CheckDirectoryLoader(settings.maxInstancesPerCheck());
    }
}
