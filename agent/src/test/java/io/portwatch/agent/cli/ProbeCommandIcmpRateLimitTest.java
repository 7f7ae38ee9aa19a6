package io.portwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portwatch.agent.probe.NetworkNamespace;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code agent probe} on many closed UDP ports of one host that rate-limits its ICMP the way Linux
 * does by default ({@code net.ipv4.icmp_ratelimit} 1000 ms: a burst of about 6, then one per
 * second). The host is a network namespace behind a veth pair (as in NetnsFilteredTest), with
 * nothing bound and no firewall: every port is closed, and the only way to know it is a port
 * unreachable the host hands out at its own pace. nmap -sU needed 214 s for 200 such ports on this
 * machine class; the engine before its ICMP budget got 82 of 200 right in 77 s.
 *
 * <p>The 40-port run is part of every build (about 40 s). The 200-port run, the issue's own
 * measurement, runs only with {@code -Dportwatch.test.icmp200=true} (about 200 s):
 * {@code ./mvnw -B -o verify -pl agent -am -Dtest=ProbeCommandIcmpRateLimitTest
 * -Dportwatch.test.icmp200=true -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * Skipped, with the reason, without root or namespaces.
 */
class ProbeCommandIcmpRateLimitTest {

    /** nmap -sU on 200 closed ports of such a host, measured on this machine class. */
    private static final double NMAP_SECONDS_PER_PORT = 214.0 / 200;
    private static final int FIRST_PORT = 20000;

    private static NetworkNamespace namespace;
    private static String host;

    @BeforeAll
    static void buildTheTargetHost() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "network namespaces are Linux only");
        assumeTrue(NetworkNamespace.isRoot(), "network namespace tests need root (ip netns, veth)");
        assumeTrue(NetworkNamespace.onPath("ip"), "no `ip` command (iproute2)");
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        namespace = new NetworkNamespace("pw-icmp-" + suffix, "pwi" + suffix);
        Runtime.getRuntime().addShutdownHook(new Thread(namespace::remove, "pw-icmp-netns-cleanup"));
        try {
            namespace.create();
            // A fresh namespace starts with the kernel's defaults; the test is about exactly those.
            assertEquals("1000", namespace.sysctl("net.ipv4.icmp_ratelimit"), "the kernel's default ICMP rate limit");
        } catch (Exception | AssertionError e) {
            namespace.remove();
            throw e;
        }
        host = namespace.targetAddress().getHostAddress();
    }

    @AfterAll
    static void tearDown() {
        if (namespace != null) {
            namespace.remove();
        }
    }

    @Test
    void fortyClosedUdpPortsAreAllClosedWithinNmapsTime() {
        closedUdpPortsAreAllClosed(40);
    }

    @Test
    @Tag("bench")
    @EnabledIfSystemProperty(named = "portwatch.test.icmp200", matches = "true",
            disabledReason = "the issue's 200-port run takes about 200 s: -Dportwatch.test.icmp200=true")
    void twoHundredClosedUdpPortsAreAllClosedWithinNmapsTime() {
        closedUdpPortsAreAllClosed(200);
    }

    private static void closedUdpPortsAreAllClosed(int ports) {
        String range = FIRST_PORT + "-" + (FIRST_PORT + ports - 1);
        double bound = ports * NMAP_SECONDS_PER_PORT;
        long t0 = System.nanoTime();
        ProbeCommandTest.Run run = ProbeCommandTest.probe("--udp", range, "--expect", "closed", "--format", "tsv", host);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Integer> got = new TreeMap<>();
        run.lines().stream().skip(1).forEach(line -> {
            String[] f = line.split("\t");
            got.merge(f[3] + "/" + f[4], 1, Integer::sum);
        });
        System.out.printf("agent probe --udp %s %s (icmp_ratelimit 1000 ms): expected %d CLOSED/port-unreachable,"
                + " got %s in %.1f s (nmap's pace: %.1f s)%n", range, host, ports, got, seconds, bound);

        assertEquals(Map.of("CLOSED/port-unreachable", ports), got, run.out());
        assertEquals(ProbeCommand.HEALTHY, run.exit(), run.err());
        assertTrue(seconds <= bound, String.format("%.1f s, more than nmap's %.1f s", seconds, bound));
    }
}
