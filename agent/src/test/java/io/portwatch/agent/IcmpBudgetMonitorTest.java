package io.portwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Demand against grant per host, as the learned grant changes, and the bound on the gauges. */
class IcmpBudgetMonitorTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<InetAddress, Long> learned = new ConcurrentHashMap<>();
    private final IcmpBudgetMonitor monitor = new IcmpBudgetMonitor(registry,
            a -> learned.containsKey(a) ? OptionalLong.of(learned.get(a)) : OptionalLong.empty(),
            IcmpBudgetMonitorTest::literal);

    private static CompletableFuture<List<InetAddress>> literal(String target) {
        try {
            return CompletableFuture.completedFuture(List.of(InetAddress.getByName(target)));
        } catch (UnknownHostException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<CheckInstance> udp(String target, int ports, Duration interval) {
        List<CheckInstance> out = new ArrayList<>();
        for (int port = 20000; port < 20000 + ports; port++) {
            out.add(new CheckInstance("c-" + target, target, Protocol.UDP, port, Expectation.CLOSED, interval,
                    Duration.ofSeconds(2), Map.of()));
        }
        return out;
    }

    @Test
    void aHostAskingMoreThanItGrantsIsAShortfallUntilItsLearnedGrantCoversIt() throws Exception {
        List<CheckInstance> instances = new ArrayList<>(udp("198.18.7.2", 200, Duration.ofSeconds(30)));
        instances.addAll(udp("198.18.7.6", 20, Duration.ofSeconds(30)));
        instances.addAll(udp("127.0.0.1", 500, Duration.ofSeconds(1))); // loopback: no ICMP limit

        monitor.apply(instances);

        assertEquals(2, monitor.hosts());
        var shortfalls = monitor.shortfalls();
        assertEquals(1, shortfalls.size(), shortfalls.toString());
        assertEquals(new IcmpBudgetMonitor.Shortfall("198.18.7.2", 200, 200 / 30.0, 1.0, false), shortfalls.get(0));
        assertEquals(1.0, registry.get("portwatch.agent.udp.icmp.budget.exceeded").tag("target", "198.18.7.2").gauge().value());

        // The engine learned that the host answers every 100 ms: 10/s covers 6.7/s.
        learned.put(InetAddress.getByName("198.18.7.2"), 100_000_000L);
        monitor.evaluate();
        assertEquals(List.of(), monitor.shortfalls());
        assertEquals(10.0, registry.get("portwatch.agent.udp.icmp.grant.per.second").tag("target", "198.18.7.2").gauge().value(), 1e-9);

        // ... and that the small host answers only every 2 s: 0.5/s is less than its 0.67/s.
        learned.put(InetAddress.getByName("198.18.7.6"), 2_000_000_000L);
        monitor.evaluate();
        assertEquals(List.of(new IcmpBudgetMonitor.Shortfall("198.18.7.6", 20, 20 / 30.0, 0.5, true)), monitor.shortfalls());
    }

    @Test
    void gaugesAreBoundedAndFollowTheConfiguration() {
        List<CheckInstance> instances = new ArrayList<>();
        for (int host = 0; host < IcmpBudgetMonitor.MAX_HOSTS + 50; host++) {
            instances.addAll(udp("198.18.9." + host, 1 + host % 3, Duration.ofSeconds(60)));
        }
        monitor.apply(instances);
        assertEquals(IcmpBudgetMonitor.MAX_HOSTS + 50, monitor.hosts());
        assertEquals(IcmpBudgetMonitor.MAX_HOSTS, registry.find("portwatch.agent.udp.icmp.demand.per.second").gauges().size());

        monitor.apply(udp("198.18.7.2", 10, Duration.ofSeconds(60)));
        assertEquals(1, registry.find("portwatch.agent.udp.icmp.demand.per.second").gauges().size());
        assertTrue(monitor.shortfalls().isEmpty());
    }

    /** Lookups that never complete cost one wait in all, not one per name, and get the default grant. */
    @Test
    void namesThatDoNotResolveInTimeCostOneWaitAndGetTheDefaultGrant() {
        IcmpBudgetMonitor hanging = new IcmpBudgetMonitor(registry, a -> OptionalLong.empty(),
                target -> new CompletableFuture<>());
        List<CheckInstance> instances = new ArrayList<>();
        for (int host = 0; host < 5; host++) {
            instances.addAll(udp("host" + host + ".example.com", 60, Duration.ofSeconds(30)));
        }
        long t0 = System.nanoTime();
        hanging.apply(instances);
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertTrue(seconds < IcmpBudgetMonitor.RESOLVE_WAIT.toSeconds() + 1.5, seconds + " s");
        assertEquals(5, hanging.shortfalls().size(), "60 at 30 s need 2/s, more than the default 1/s");
    }
}
