package io.portwatch.agent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.config.IcmpDemand;
import io.portwatch.agent.probe.DnsCache;
import io.portwatch.agent.probe.ProbeEngine;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Compares what the UDP checks of each host ask of its ICMP budget ({@link IcmpDemand}) with what
 * the host grants: the rate the probe engine learned from its answers, Linux's default of 1/s until
 * then. A host asking for more cannot get all its closed ports answered: some come back UNKNOWN /
 * icmp-rate-limited each round. The monitor says so once when it starts (WARN) and once when it
 * ends (INFO), never every round; in the {@code portwatch.agent.udp.icmp.*} gauges; and to the
 * {@code icmp-budget} health check.
 *
 * <p>The gauges are registered for at most {@link #MAX_HOSTS} hosts, those of the highest demand,
 * so a configuration with thousands of UDP targets cannot flood /q/metrics; the health check and
 * the log cover every host. {@link #apply} is called on a reload, {@link #evaluate} then and every
 * 5 s (the learned grants change as probes run), by the Quarkus scheduler; readers take the
 * published snapshot.
 */
@Singleton
final class IcmpBudgetMonitor {

    private static final Logger LOG = Logger.getLogger(IcmpBudgetMonitor.class);
    /** Hosts with gauges: a bound on the metrics' cardinality. */
    static final int MAX_HOSTS = 100;
    /** How long one evaluation waits for all the names it looks up. */
    static final Duration RESOLVE_WAIT = Duration.ofSeconds(2);

    /** One host whose UDP checks need more ICMP answers per second than it grants. */
    record Shortfall(String target, int checks, double neededPerSecond, double grantedPerSecond, boolean learned) {}

    private static final class HostState {
        final IcmpDemand.Host demand;
        volatile double grant = IcmpDemand.DEFAULT_GRANT_PER_SECOND;
        volatile boolean learned;
        volatile boolean exempt;
        volatile boolean exceeded;
        final List<Meter> meters = new ArrayList<>();

        HostState(IcmpDemand.Host demand) {
            this.demand = demand;
        }
    }

    private final MeterRegistry registry;
    /** The probe engine's learned interval per address (any thread). */
    private final Function<InetAddress, OptionalLong> learnedInterval;
    /** A target's addresses, as the probes resolve it (cached); empty when it does not resolve. */
    private final Function<String, CompletableFuture<List<InetAddress>>> addresses;
    private volatile List<HostState> hosts = List.of();

    /** The running agent's: the grants the engine learned, the names looked up as the probes look them up. */
    @Inject
    IcmpBudgetMonitor(MeterRegistry registry, ProbeEngine engine, DnsCache dns,
            @DnsResolverPool ExecutorService resolverPool) {
        this(registry, engine::learnedIcmpIntervalNanos, target -> dns.lookup(target, resolverPool));
    }

    IcmpBudgetMonitor(MeterRegistry registry, Function<InetAddress, OptionalLong> learnedInterval,
            Function<String, CompletableFuture<List<InetAddress>>> addresses) {
        this.registry = registry;
        this.learnedInterval = learnedInterval;
        this.addresses = addresses;
    }

    /** A new configuration: the demand per host; a host that stays keeps its state (no new WARN). */
    synchronized void apply(List<CheckInstance> instances) {
        Map<String, HostState> old = new HashMap<>();
        hosts.forEach(h -> old.put(h.demand.target(), h));
        List<HostState> next = new ArrayList<>();
        for (IcmpDemand.Host demand : IcmpDemand.udpHosts(instances)) {
            HostState previous = old.remove(demand.target());
            HostState h = new HostState(demand);
            if (previous != null) {
                h.grant = previous.grant;
                h.learned = previous.learned;
                h.exempt = previous.exempt;
                h.exceeded = previous.exceeded;
                previous.meters.forEach(registry::remove);
            }
            next.add(h);
        }
        for (HostState gone : old.values()) {
            gone.meters.forEach(registry::remove);
            if (gone.exceeded) {
                LOG.infof("ICMP budget of %s: no longer a concern, its UDP checks are gone", gone.demand.target());
            }
        }
        next.stream().sorted(Comparator.comparingDouble((HostState h) -> -h.demand.perSecond()))
                .limit(MAX_HOSTS).forEach(this::register);
        hosts = List.copyOf(next);
        evaluate();
    }

    private void register(HostState h) {
        String target = h.demand.target();
        h.meters.add(Gauge.builder("portwatch.agent.udp.icmp.demand.per.second", h, s -> s.demand.perSecond())
                .tag("target", target)
                .description("ICMP port unreachables per second the host's UDP checks need if all their ports are closed")
                .register(registry));
        h.meters.add(Gauge.builder("portwatch.agent.udp.icmp.grant.per.second", h, s -> s.grant)
                .tag("target", target)
                .description("ICMP answers per second the host grants: learned from its answers, else Linux's default 1")
                .register(registry));
        h.meters.add(Gauge.builder("portwatch.agent.udp.icmp.budget.exceeded", h, s -> s.exceeded ? 1 : 0)
                .tag("target", target)
                .description("1 while the host's UDP checks need more ICMP answers than it grants")
                .register(registry));
    }

    /**
     * Compares each host's demand with its grant now; logs the hosts whose verdict changed. The
     * names are looked up all at once and waited for {@link #RESOLVE_WAIT} in all, so many names
     * that do not resolve cannot hold up a reload (one that has not resolved gets the default grant).
     */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void evaluate() {
        Map<HostState, CompletableFuture<List<InetAddress>>> lookups = new HashMap<>();
        hosts.forEach(h -> lookups.put(h, addresses.apply(h.demand.target())));
        long deadline = System.nanoTime() + RESOLVE_WAIT.toNanos();
        for (HostState h : hosts) {
            List<InetAddress> resolved = await(lookups.get(h), deadline);
            boolean exempt = !resolved.isEmpty() && resolved.stream().allMatch(IcmpDemand::isLocal);
            // The slowest of its addresses: the probes may go to any of them.
            long interval = 0;
            for (InetAddress a : resolved) {
                interval = Math.max(interval, learnedInterval.apply(a).orElse(0));
            }
            h.exempt = exempt;
            h.learned = interval > 0;
            h.grant = interval > 0 ? 1e9 / interval : IcmpDemand.DEFAULT_GRANT_PER_SECOND;
            boolean exceeded = !exempt && h.demand.exceeds(h.grant);
            if (exceeded && !h.exceeded) {
                LOG.warn("ICMP budget exceeded: " + IcmpDemand.warning(h.demand, h.grant, h.learned));
            } else if (!exceeded && h.exceeded) {
                LOG.infof("ICMP budget of %s is met again: its %d UDP checks need %s, it grants %s",
                        h.demand.target(), h.demand.checks(), IcmpDemand.rate(h.demand.perSecond()),
                        exempt ? "without limit" : IcmpDemand.rate(h.grant));
            }
            h.exceeded = exceeded;
        }
    }

    private static List<InetAddress> await(CompletableFuture<List<InetAddress>> lookup, long deadline) {
        try {
            return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        }
    }

    /** Every host whose demand exceeds its grant now, by target. */
    List<Shortfall> shortfalls() {
        List<Shortfall> out = new ArrayList<>();
        for (HostState h : hosts) {
            if (h.exceeded) {
                out.add(new Shortfall(h.demand.target(), h.demand.checks(), h.demand.perSecond(), h.grant, h.learned));
            }
        }
        out.sort(Comparator.comparing(Shortfall::target));
        return out;
    }

    /** Hosts with UDP checks that the kernel may rate-limit. */
    int hosts() {
        return hosts.size();
    }
}
