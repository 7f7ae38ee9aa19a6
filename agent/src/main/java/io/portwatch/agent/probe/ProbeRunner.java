package io.portwatch.agent.probe;

import io.portwatch.agent.probe.udp.UdpPayloads;
import io.portwatch.agent.probe.udp.UdpRequest;
import io.portwatch.core.check.PortState;
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
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs one probe of a {@link ProbeTarget} (a check instance): resolves its target (IP literals without DNS; host names through a
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

    public ProbeRunner(ProbeEngine engine, Executor resolverPool, Clock clock, DnsCache dns) {
        this.engine = engine;
        this.resolverPool = resolverPool;
        this.clock = clock;
        this.dns = dns;
    }

    /**
     * Runs the check once; the future completes on the engine's completion executor (or on the
     * resolver's thread when the name did not resolve), never exceptionally.
     */
    public CompletableFuture<ProbeResult> run(ProbeTarget check) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        resolve(check, (request, failed) -> {
            if (request == null) {
                result.complete(failed);
            } else {
                engine.probe(request).thenAccept(result::complete);
            }
        });
        return result;
    }

    /**
     * Runs the check once and hands its result to {@code onResult}, exactly once: from the engine's
     * selector thread (see {@link ProbeEngine#start}), or from the resolver's or the caller's thread
     * when no probe was started (the name did not resolve). {@code onResult} must be quick and must
     * not block. An IP-literal target costs no future and no thread hand-off.
     */
    public void run(ProbeTarget check, Consumer<ProbeResult> onResult) {
        resolve(check, (request, failed) -> {
            if (request == null) {
                onResult.accept(failed);
            } else {
                engine.start(request, onResult);
            }
        });
    }

    /**
     * Resolves the target and builds the request, then calls {@code then} with either the request or
     * (request null) the result that says why there is none. An IP literal is parsed on the caller's
     * thread; a host name goes through the DNS cache and may continue on the resolver's thread.
     */
    private void resolve(ProbeTarget check, BiConsumer<ProbeRequest, ProbeResult> then) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        if (isIpLiteral(check.target())) {
            InetAddress address;
            try {
                address = InetAddress.getByName(check.target()); // a literal: no lookup
            } catch (UnknownHostException e) {
                then.accept(null, dnsFailed(started, Duration.ofNanos(System.nanoTime() - t0),
                        "cannot resolve " + check.target() + ": " + message(e)));
                return;
            }
            prepare(check, List.of(address), started, t0, then);
            return;
        }
        dns.lookup(check.target(), resolverPool).whenComplete((found, failure) -> {
            if (failure != null) {
                then.accept(null, dnsFailed(started, Duration.ofNanos(System.nanoTime() - t0),
                        "cannot resolve " + check.target() + ": " + message(failure)));
            } else {
                prepare(check, found, started, t0, then);
            }
        });
    }

    private static void prepare(ProbeTarget check, List<InetAddress> found, Instant started, long t0,
            BiConsumer<ProbeRequest, ProbeResult> then) {
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        InetAddress address = pick(found, check.family());
        if (address == null) {
            then.accept(null, dnsFailed(started, took, "no " + (check.family() == AddressFamily.IPV4 ? "IPv4" : "IPv6")
                    + " address for " + check.target() + " (resolved to " + texts(found) + ")"));
            return;
        }
        ProbeRequest request;
        try {
            request = request(check, address);
        } catch (RuntimeException e) { // a bad regex or hex payload the parser let through
            then.accept(null, new ProbeResult(PortState.ERROR, ProbeReason.LOCAL_ERROR,
                    new InetSocketAddress(address, check.port()), took, started, e.getMessage()));
            return;
        }
        then.accept(request, null);
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

    private static ProbeRequest request(ProbeTarget check, InetAddress address) {
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
            request = request.withTls(isIpLiteral(check.target()) ? null : check.target())
                    .withTlsMinDays(tcp.tlsMinDays());
        }
        return request;
    }

    private static ProbeResult dnsFailed(Instant started, Duration took, String detail) {
        return new ProbeResult(PortState.ERROR, ProbeReason.DNS_FAILED, null, took, started, detail);
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return IoErrorClassifier.describe(cause);
    }

    private static String texts(List<InetAddress> addresses) {
        return String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
    }

    static boolean isIpLiteral(String target) {
        return target.indexOf(':') >= 0 || isDottedQuad(target);
    }

    /** Four groups of 1-3 digits separated by dots (what {@code \\d{1,3}(\\.\\d{1,3}){3}} matches). */
    private static boolean isDottedQuad(String s) {
        int groups = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && groups < 3) {
                groups++;
                digits = 0;
            } else {
                return false;
            }
        }
        return groups == 3 && digits > 0;
    }
}
