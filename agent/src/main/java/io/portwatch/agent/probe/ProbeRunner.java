package io.portwatch.agent.probe;

import io.portwatch.agent.config.CheckInstance;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs one check instance: resolves its target (IP literals without DNS; host names on a small
 * executor, since the JDK resolver blocks), then hands the probe to the engine. A name that does
 * not resolve is an ERROR with reason dns-failed: it says nothing about the port.
 */
public final class ProbeRunner {

    /** Until protocol payloads arrive, UDP probes carry a short marker so echo services answer. */
    static final byte[] DEFAULT_UDP_PAYLOAD = "portwatch probe\n".getBytes(StandardCharsets.US_ASCII);

    private final ProbeEngine engine;
    private final Executor resolverPool;
    private final Clock clock;

    public ProbeRunner(ProbeEngine engine, Executor resolverPool, Clock clock) {
        this.engine = engine;
        this.resolverPool = resolverPool;
        this.clock = clock;
    }

    public CompletableFuture<ProbeResult> run(CheckInstance check) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        CompletableFuture<InetAddress> address = isIpLiteral(check.target())
                ? CompletableFuture.supplyAsync(() -> resolve(check.target()), Runnable::run)
                : CompletableFuture.supplyAsync(() -> resolve(check.target()), resolverPool);
        return address.thenCompose(a -> engine.probe(request(check, a)))
                .exceptionally(e -> dnsFailure(check, e, started, Duration.ofNanos(System.nanoTime() - t0)));
    }

    private static ProbeRequest request(CheckInstance check, InetAddress address) {
        InetSocketAddress target = new InetSocketAddress(address, check.port());
        return switch (check.protocol()) {
            case TCP -> ProbeRequest.tcp(target, check.timeout());
            case UDP -> ProbeRequest.udp(target, check.timeout(), DEFAULT_UDP_PAYLOAD);
        };
    }

    private static ProbeResult dnsFailure(CheckInstance check, Throwable e, Instant started, Duration took) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new ProbeResult(ProbeState.ERROR, ProbeReason.DNS_FAILED, null, took, started,
                "cannot resolve " + check.target() + ": " + cause.getMessage());
    }

    /** For an IP literal getByName does no lookup, so it may run on the caller's thread. */
    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    static boolean isIpLiteral(String target) {
        return target.indexOf(':') >= 0 || target.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
