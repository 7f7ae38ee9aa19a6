package io.portwatch.agent.probe;

import io.portwatch.core.testing.NetworkNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.PortState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FILTERED and unreachable cases against a host the test builds: a network namespace behind a veth
 * pair on a random /30 of the benchmark range 198.18.0.0/15, whose firewall drops TCP 80 and UDP 9
 * and rejects TCP 81 with ICMP admin-prohibited. Traffic goes only to that namespace address; the
 * namespace and the veth pair are removed afterwards (and by a shutdown hook if the JVM is stopped).
 *
 * <p>The firewall is nft when installed; otherwise policy-routing rules in the namespace do the
 * same ({@code blackhole} drops; {@code prohibit} answers with ICMP type 3 code 13, exactly what
 * nft's {@code reject with icmp type admin-prohibited} sends). Skipped, with the reason, where this
 * is not root or the kernel refuses namespaces.
 */
class NetnsFilteredTest {

    private static final int TCP_DROP = 80;
    private static final int TCP_PROHIBITED = 81;
    private static final int TCP_CLOSED = 82;
    private static final int UDP_DROP = 9;
    private static final int UDP_CLOSED = 10;
    /** Long enough for the ICMP of a retransmit: the first one may be rate-limited away. */
    private static final Duration ICMP_TIMEOUT = Duration.ofSeconds(4);

    private static NetworkNamespace namespace;
    private static ProbeEngine engine;

    @BeforeAll
    static void buildTheTargetHost() throws Exception {
        namespace = NetworkNamespace.forTest("pw-test-", "pwt");
        try {
            namespace.create();
            if (NetworkNamespace.onPath("nft")) {
                namespace.nft("table ip portwatch_test {\n"
                        + "  chain input {\n"
                        + "    type filter hook input priority 0; policy accept;\n"
                        + "    tcp dport " + TCP_DROP + " drop\n"
                        + "    tcp dport " + TCP_PROHIBITED + " reject with icmp type admin-prohibited\n"
                        + "    udp dport " + UDP_DROP + " drop\n"
                        + "  }\n"
                        + "}\n");
            } else {
                namespace.policyRules(
                        "ipproto tcp dport " + TCP_DROP + " blackhole",
                        "ipproto tcp dport " + TCP_PROHIBITED + " prohibit",
                        "ipproto udp dport " + UDP_DROP + " blackhole");
            }
        } catch (Exception | AssertionError e) {
            namespace.remove();
            throw e;
        }
        engine = new ProbeEngine(8);
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (namespace != null) {
            namespace.remove();
        }
    }

    private static ProbeResult probe(ProbeRequest request) throws Exception {
        return engine.probe(request).get(15, TimeUnit.SECONDS);
    }

    private static InetSocketAddress target(int port) {
        InetAddress address = namespace.targetAddress();
        return new InetSocketAddress(address, port);
    }

    @Test
    void droppedTcpIsFilteredTimeout() throws Exception {
        ProbeResult result = probe(ProbeRequest.tcp(target(TCP_DROP), Duration.ofMillis(500)));

        assertEquals(PortState.FILTERED, result.state(), result.toString());
        assertEquals(ProbeReason.TIMEOUT, result.reason());
        assertTrue(result.latency().toMillis() >= 500, result.latency().toString());
    }

    @Test
    void adminProhibitedTcpIsFilteredWithTheUnreachableReason() throws Exception {
        ProbeResult result = probe(ProbeRequest.tcp(target(TCP_PROHIBITED), ICMP_TIMEOUT));

        assertEquals(PortState.FILTERED, result.state(), result.toString());
        // IPv4: the kernel reports ICMP 3/13 as EHOSTUNREACH, as nmap -sT does: host-unreachable.
        assertEquals(ProbeReason.HOST_UNREACHABLE, result.reason(), result.toString());
        assertTrue(result.latency().compareTo(ICMP_TIMEOUT) < 0, "answered, not timed out: " + result);
    }

    /** The namespace itself answers: dropped and rejected ports are the firewall's doing. */
    @Test
    void portWithoutRuleOrListenerIsClosed() throws Exception {
        ProbeResult result = probe(ProbeRequest.tcp(target(TCP_CLOSED), Duration.ofSeconds(2)));

        assertEquals(PortState.CLOSED, result.state(), result.toString());
        assertEquals(ProbeReason.REFUSED, result.reason());
    }

    @Test
    void droppedUdpIsOpenFilteredNoReply() throws Exception {
        ProbeResult result = probe(ProbeRequest.udp(target(UDP_DROP), Duration.ofMillis(500), new byte[0]));

        assertEquals(PortState.OPEN_FILTERED, result.state(), result.toString());
        assertEquals(ProbeReason.NO_REPLY, result.reason());
    }

    @Test
    void closedUdpAcrossTheVethIsClosed() throws Exception {
        ProbeResult result = probe(ProbeRequest.udp(target(UDP_CLOSED), ICMP_TIMEOUT, new byte[0]));

        assertEquals(PortState.CLOSED, result.state(), result.toString());
        assertEquals(ProbeReason.PORT_UNREACHABLE, result.reason());
    }
}
