package io.portwatch.agent.probe;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.udp.UdpPayloads;
import io.portwatch.agent.probe.udp.UdpRequest;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs one check instance: resolves its target (IP literals without DNS; host names through a
 * {@link DnsCache} whose lookups run on a small executor, since the JDK resolver blocks), picks the
 * address of the instance's {@link AddressFamily}, builds the protocol's request (TCP send, banner
 * and TLS; UDP payload, validator and retries) and hands it to the engine. A name that does not
 * resolve, or has no address of the pinned family, is an ERROR with reason dns-failed: it says
 * nothing about the port.
 *
 * <p>TCP {@code send} text goes out as UTF-8. A TLS probe verifies the certificate for the target
 * as written in the check (the host name, or the IP literal).
 */
public final class ProbeRunner {

    private final ProbeEngine engine;
    private final Executor resolverPool;
    private final Clock clock;
    private final DnsCache dns;

    /** With the system resolver and the default cache times ({@link DnsCache}). */
    public ProbeRunner(ProbeEngine engine, Executor resolverPool, Clock clock) {
        this(engine, resolverPool, clock, new DnsCache(clock));
    }

    public ProbeRunner(ProbeEngine engine, Executor resolverPool, Clock clock, DnsCache dns) {
        this.engine = engine;
        this.resolverPool = resolverPool;
        this.clock = clock;
        this.dns = dns;
    }

    public CompletableFuture<ProbeResult> run(CheckInstance check) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        CompletableFuture<List<InetAddress>> addresses = isIpLiteral(check.target())
                ? CompletableFuture.supplyAsync(() -> List.of(literal(check.target())), Runnable::run)
                : dns.lookup(check.target(), resolverPool);
        return addresses.handle((found, failure) -> {
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (failure != null) {
                return done(dnsFailed(started, took, "cannot resolve " + check.target() + ": " + message(failure)));
            }
            InetAddress address = pick(found, check.family());
            if (address == null) {
                return done(dnsFailed(started, took, "no " + (check.family() == AddressFamily.IPV4 ? "IPv4" : "IPv6")
                        + " address for " + check.target() + " (resolved to " + texts(found) + ")"));
            }
            ProbeRequest request;
            try {
                request = request(check, address);
            } catch (IllegalArgumentException e) { // a bad regex or hex payload the parser let through
                return done(new ProbeResult(ProbeState.ERROR, ProbeReason.LOCAL_ERROR,
                        new InetSocketAddress(address, check.port()), took, started, e.getMessage()));
            }
            return engine.probe(request);
        }).thenCompose(result -> result);
    }

    /** The first address of the family, in the resolver's order; null when there is none. */
    static InetAddress pick(List<InetAddress> addresses, AddressFamily family) {
        for (InetAddress a : addresses) {
            boolean fits = switch (family) {
                case ANY -> true;
                case IPV4 -> a instanceof Inet4Address;
                case IPV6 -> a instanceof Inet6Address;
            };
            if (fits) {
                return a;
            }
        }
        return null;
    }

    private static ProbeRequest request(CheckInstance check, InetAddress address) {
        InetSocketAddress target = new InetSocketAddress(address, check.port());
        if (check.probe() instanceof ProbeSpec.Udp udp) {
            UdpRequest datagram = UdpPayloads.request(udp.payload());
            return ProbeRequest.udp(target, check.timeout(), datagram.payload())
                    .withValidator(datagram.validator())
                    .withRetries(udp.retries());
        }
        ProbeSpec.Tcp tcp = (ProbeSpec.Tcp) check.probe();
        ProbeRequest request = ProbeRequest.tcp(target, check.timeout());
        if (tcp.send() != null) {
            // The parser guarantees one byte per character (\xNN escapes), so ISO-8859-1 maps char N to byte N.
            request = request.withPayload(tcp.send().getBytes(StandardCharsets.ISO_8859_1));
        }
        if (tcp.expectBanner() != null) {
            try {
                request = request.withExpectBanner(Pattern.compile(tcp.expectBanner()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid expect_banner regex: " + e.getMessage(), e);
            }
        }
        if (tcp.tls()) {
            request = request.withTls(isIpLiteral(check.target()) ? null : check.target());
        }
        return request;
    }

    private static ProbeResult dnsFailed(Instant started, Duration took, String detail) {
        return new ProbeResult(ProbeState.ERROR, ProbeReason.DNS_FAILED, null, took, started, detail);
    }

    private static CompletableFuture<ProbeResult> done(ProbeResult result) {
        return CompletableFuture.completedFuture(result);
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return IoErrorClassifier.describe(cause);
    }

    private static String texts(List<InetAddress> addresses) {
        return String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
    }

    /** For an IP literal getByName does no lookup, so it may run on the caller's thread. */
    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CompletionException(e);
        }
    }

    static boolean isIpLiteral(String target) {
        return target.indexOf(':') >= 0 || target.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
