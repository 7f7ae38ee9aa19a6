package io.portwatch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import io.portwatch.core.testing.LoopbackTargets;
import io.portwatch.core.testing.LoopbackTargets.TalkingServer;
import io.portwatch.core.testing.LoopbackTargets.TcpListener;
import io.portwatch.core.testing.LoopbackTargets.UdpResponder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** From a check instance to a result: name resolution, its cache, address families, payloads. */
class ProbeRunnerTest {

    /** A clock the test moves by hand, to step over cache lifetimes without sleeping. */
    private static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-25T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A scripted resolver that counts lookups per name; unknown names do not resolve. */
    private static final class CountingResolver implements HostResolver {
        final Map<String, InetAddress[]> names = new ConcurrentHashMap<>();
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups.incrementAndGet();
            InetAddress[] found = names.get(host);
            if (found == null) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            return found.clone();
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CountingResolver resolver = new CountingResolver();
    private ExecutorService pool;
    private ProbeEngine engine;
    private ProbeRunner runner;

    @BeforeEach
    void start() {
        pool = Executors.newFixedThreadPool(2);
        engine = new ProbeEngine(8);
        runner = new ProbeRunner(engine, pool, clock,
                new DnsCache(resolver, clock, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        engine.close();
        pool.shutdownNow();
    }

    private static CheckInstance tcp(String target, int port, AddressFamily family, ProbeSpec.Tcp spec) {
        return new CheckInstance("t", target, Protocol.TCP, port, Expectation.OPEN, Duration.ofSeconds(30),
                Duration.ofSeconds(2), Map.of(), family, spec);
    }

    private ProbeResult run(CheckInstance check) throws Exception {
        return runner.run(check).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNameIsResolvedOnceWithinTheTtlAndAgainAfterIt() throws Exception {
        try (TcpListener listener = new TcpListener(LoopbackTargets.v4())) {
            resolver.names.put("web.test", new InetAddress[] {LoopbackTargets.v4()});
            CheckInstance check = tcp("web.test", listener.address().getPort(), AddressFamily.ANY, null);

            for (int i = 0; i < 3; i++) {
                ProbeResult result = run(check);
                assertEquals(PortState.OPEN, result.state(), result.toString());
                assertEquals("127.0.0.1", result.addressText());
                clock.advance(Duration.ofSeconds(9));
            }
            assertEquals(1, resolver.lookups.get(), "27 s of probes, one lookup");

            clock.advance(Duration.ofSeconds(4)); // 31 s after the lookup
            assertEquals(PortState.OPEN, run(check).state());
            assertEquals(2, resolver.lookups.get());
        }
    }

    @Test
    void aNameThatDoesNotResolveIsDnsFailedAndCachedBriefly() throws Exception {
        CheckInstance check = tcp("missing.test", 80, AddressFamily.ANY, null);

        ProbeResult result = run(check);
        assertEquals(PortState.ERROR, result.state());
        assertEquals(ProbeReason.DNS_FAILED, result.reason());
        assertNull(result.address());
        assertEquals("cannot resolve missing.test: missing.test: Name or service not known", result.detail());

        clock.advance(Duration.ofSeconds(4));
        assertEquals(ProbeReason.DNS_FAILED, run(check).reason());
        assertEquals(1, resolver.lookups.get(), "negative answer kept for 5 s");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(ProbeReason.DNS_FAILED, run(check).reason());
        assertEquals(2, resolver.lookups.get());
    }

    @Test
    void theAddressFamilyPicksTheFirstAddressOfThatFamily() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        InetAddress other4 = InetAddress.getByName("127.0.0.2");
        resolver.names.put("v4only.test", new InetAddress[] {LoopbackTargets.v4()});
        var addresses = Arrays.asList(other4, v6, LoopbackTargets.v4());

        assertEquals(other4, ProbeRunner.pick(addresses, AddressFamily.ANY));
        assertEquals(other4, ProbeRunner.pick(addresses, AddressFamily.IPV4));
        assertEquals(v6, ProbeRunner.pick(addresses, AddressFamily.IPV6));

        ProbeResult noV6 = run(tcp("v4only.test", 80, AddressFamily.IPV6, null));
        assertEquals(PortState.ERROR, noV6.state());
        assertEquals(ProbeReason.DNS_FAILED, noV6.reason());
        assertEquals("no IPv6 address for v4only.test (resolved to 127.0.0.1)", noV6.detail());
        ProbeResult literal = run(tcp("127.0.0.1", 80, AddressFamily.IPV6, null));
        assertEquals(ProbeReason.DNS_FAILED, literal.reason(), "an IPv4 literal pinned to IPv6");
    }

    /** The system resolver: {@code localhost} pinned to IPv6 is ::1 where the hosts file says so. */
    @Test
    void localhostPinnedToIpv6IsV6LoopbackOrDnsFailed() throws Exception {
        ProbeRunner system = new ProbeRunner(engine, pool, Clock.systemUTC(),
                new DnsCache(HostResolver.SYSTEM, Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        boolean hasV6 = Arrays.stream(InetAddress.getAllByName("localhost")).anyMatch(a -> a instanceof Inet6Address);
        if (!hasV6) {
            ProbeResult result = system.run(tcp("localhost", 80, AddressFamily.IPV6, null)).get(10, TimeUnit.SECONDS);
            assertEquals(ProbeReason.DNS_FAILED, result.reason(), result.toString());
            assertTrue(result.detail().startsWith("no IPv6 address for localhost"), result.detail());
            return;
        }
        InetAddress v6 = LoopbackTargets.v6OrSkip();
        try (TcpListener listener = new TcpListener(v6)) {
            ProbeResult result = system.run(tcp("localhost", listener.address().getPort(), AddressFamily.IPV6, null))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals("0:0:0:0:0:0:0:1", result.addressText());
        }
    }

    @Test
    void udpChecksSendTheirProtocolPayload() throws Exception {
        try (UdpResponder dns = new UdpResponder(LoopbackTargets.v4(), ProtocolResponders.dns(0, false, false))) {
            CheckInstance check = new CheckInstance("resolvers", "127.0.0.1", Protocol.UDP, dns.address().getPort(),
                    Expectation.OPEN, Duration.ofSeconds(30), Duration.ofSeconds(2), Map.of(), AddressFamily.IPV4,
                    new ProbeSpec.Udp(new UdpPayload.Dns(), 1));
            ProbeResult result = run(check);

            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertTrue(result.detail().endsWith("DNS NOERROR"), result.detail());
        }
        assertEquals(0, resolver.lookups.get(), "IP literals are not looked up");
    }

    @Test
    void tcpChecksSendAndExpectTheirBanner() throws Exception {
        try (TalkingServer echo = new TalkingServer(ServerSocketFactory.getDefault(), true,
                line -> ("you said " + line + "\n").getBytes(StandardCharsets.US_ASCII))) {
            ProbeResult result = run(tcp("127.0.0.1", echo.address().getPort(), AddressFamily.ANY,
                    new ProbeSpec.Tcp("ping\n", "^you said ping$", false)));
            assertEquals(PortState.OPEN, result.state(), result.toString());
            assertEquals(ProbeReason.CONNECTED, result.reason(), result.toString());
            assertEquals("banner \"you said ping\\n\"", result.detail());
        }
    }

    @Test
    void badRegexOrHexIsALocalErrorNotAProbe() throws Exception {
        ProbeResult regex = run(tcp("127.0.0.1", 80, AddressFamily.ANY, new ProbeSpec.Tcp(null, "([", false)));
        assertEquals(PortState.ERROR, regex.state());
        assertEquals(ProbeReason.LOCAL_ERROR, regex.reason());
        assertTrue(regex.detail().startsWith("invalid expect_banner regex"), regex.detail());

        ProbeResult hex = run(new CheckInstance("h", "127.0.0.1", Protocol.UDP, 9, Expectation.OPEN,
                Duration.ofSeconds(30), Duration.ofSeconds(1), Map.of(), AddressFamily.ANY,
                new ProbeSpec.Udp(new UdpPayload.Hex("zz"), 0)));
        assertEquals(ProbeReason.LOCAL_ERROR, hex.reason(), hex.toString());
        assertTrue(hex.detail().startsWith("invalid hex payload \"zz\""), hex.detail());
    }

    /** The hand-written test says what the regex {@code \\d{1,3}(\\.\\d{1,3}){3}} (or a colon) said. */
    @Test
    void ipLiteralsAreToldFromHostNames() {
        java.util.regex.Pattern quad = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
        for (String s : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "999.1.1.1", "1.2.3", "1.2.3.4.5",
                "1..2.3", ".1.2.3", "1.2.3.", "1234.1.1.1", "a.b.c.d", "1.2.3.4a", "", "web1.example.com",
                "10.0.0.1x", "::1", "2001:db8::10", "localhost", "1.2.3.4 ")) {
            assertEquals(s.indexOf(':') >= 0 || quad.matcher(s).matches(), ProbeRunner.isIpLiteral(s), s);
        }
    }
}
