package io.portwatch.agent.config;

import io.portwatch.agent.probe.IcmpBudget;
import io.portwatch.core.check.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the UDP checks of each target host ask of its ICMP budget. A closed UDP port is known only
 * from its port unreachable, and Linux sends those to one destination at most once per
 * {@code net.ipv4.icmp_ratelimit} (1000 ms by default): a host whose UDP checks would need more
 * answers per second than that cannot be told apart from its silence, and its closed ports come
 * back UNKNOWN / icmp-rate-limited. The demand is the worst case, every port closed:
 * Σ 1/interval over the host's UDP check instances.
 *
 * <p>Used by {@code agent check-config} (against the kernel's default grant) and by the running
 * agent (against what the probe engine learned of each host).
 */
public final class IcmpDemand {

    /** Linux's default: one port unreachable per second per destination. */
    public static final double DEFAULT_GRANT_PER_SECOND = 1e9 / IcmpBudget.PRIOR_INTERVAL_NANOS;

    private IcmpDemand() {}

    /**
     * The UDP demand on one target (as written in the check files).
     *
     * @param intervals the distinct intervals of its UDP checks, shortest first
     */
    public record Host(String target, int checks, SortedSet<Duration> intervals, double perSecond) {

        /** Whether this demand is more than {@code grantPerSecond} (a little slack for rounding). */
        public boolean exceeds(double grantPerSecond) {
            return perSecond > grantPerSecond * 1.000_001;
        }

        /** The shortest interval at which all its UDP checks fit into {@code grantPerSecond}, whole seconds. */
        public Duration intervalToFit(double grantPerSecond) {
            return Duration.ofSeconds((long) Math.ceil(checks / grantPerSecond - 1e-9));
        }
    }

    /**
     * The UDP demand per target, sorted by target; targets the kernel does not rate-limit
     * (loopback and this machine's own addresses, given as IP literals or {@code localhost}) are left out.
     */
    public static List<Host> udpHosts(Collection<CheckInstance> instances) {
        Map<String, List<CheckInstance>> byTarget = new TreeMap<>();
        for (CheckInstance ci : instances) {
            if (ci.protocol() == Protocol.UDP) {
                byTarget.computeIfAbsent(ci.target(), t -> new ArrayList<>()).add(ci);
            }
        }
        List<Host> hosts = new ArrayList<>();
        byTarget.forEach((target, checks) -> {
            if (isLocal(target)) {
                return;
            }
            // Counted per interval first: 200 × 1/30 summed one by one drifts from 200/30.
            TreeMap<Duration, Integer> perInterval = new TreeMap<>();
            checks.forEach(ci -> perInterval.merge(ci.interval(), 1, Integer::sum));
            double perSecond = 0;
            for (Map.Entry<Duration, Integer> e : perInterval.entrySet()) {
                perSecond += e.getValue() * 1e9 / e.getKey().toNanos();
            }
            hosts.add(new Host(target, checks.size(), new TreeSet<>(perInterval.keySet()), perSecond));
        });
        return hosts;
    }

    /**
     * Whether a target is exempt from ICMP rate limits. Only IP literals and {@code localhost} are
     * judged without a lookup; any other name counts as remote (the cautious side: it may be warned
     * about needlessly, never silently lose its closed ports).
     */
    public static boolean isLocal(String target) {
        if (target.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!isIpLiteral(target)) {
            return false;
        }
        try {
            return IcmpBudget.isLocal(InetAddress.getByName(target)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether a learned grant applies to {@code address}: exempt addresses are never limited. */
    public static boolean isLocal(InetAddress address) {
        return IcmpBudget.isLocal(address);
    }

    static boolean isIpLiteral(String target) {
        return target.indexOf(':') >= 0 || target.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** "30s", "1m30s", "1500ms": how the check files write it. */
    public static String format(Duration d) {
        if (d.toMillisPart() != 0 || d.isZero()) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    /** "6.7/s", "0.05/s". */
    public static String rate(double perSecond) {
        return (perSecond >= 10 ? String.format("%.0f", perSecond)
                : perSecond >= 0.1 ? String.format("%.1f", perSecond) : String.format("%.2g", perSecond)) + "/s";
    }

    /** The WARNING text for a host whose UDP checks need more than {@code grantPerSecond}. */
    public static String warning(Host host, double grantPerSecond, boolean learned) {
        List<String> intervals = host.intervals().stream().map(IcmpDemand::format).toList();
        return String.format("%s: %d UDP check%s every %s need up to %s ICMP port unreachables if their ports"
                        + " are closed, but the host grants %s (%s); lengthen these intervals to at least %s,"
                        + " or raise the target's ICMP budget (lower net.ipv4.icmp_ratelimit, or take"
                        + " destination unreachable, type 3, out of net.ipv4.icmp_ratemask); otherwise closed ports will be"
                        + " reported UNKNOWN / icmp-rate-limited",
                host.target(), host.checks(), host.checks() == 1 ? "" : "s", String.join(", ", intervals),
                rate(host.perSecond()), rate(grantPerSecond),
                learned ? "learned from its answers" : "Linux's default, net.ipv4.icmp_ratelimit=1000 ms",
                format(host.intervalToFit(grantPerSecond)));
    }
}
