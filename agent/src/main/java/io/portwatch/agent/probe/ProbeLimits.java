package io.portwatch.agent.probe;

/**
 * How hard the engine may push: globally, and per target IP address.
 *
 * @param maxInFlight probes running at once, all targets together (measured on loopback: beyond
 *     ~128 adds latency, not throughput)
 * @param maxInFlightPerTarget probes running at once against one IP address, so one host is never
 *     hammered and one busy host cannot take every slot
 * @param udpStartsPerSecond UDP probe starts per second per IP address (a token bucket). Linux
 *     rate-limits the ICMP port-unreachable that makes a closed UDP port knowable
 *     ({@code icmp_msgs_per_sec} 1000 with burst 50 per host, and per destination
 *     {@code icmp_ratelimit}, measured at about 6 in a burst then about 1 per second): starting
 *     UDP probes of one host faster turns CLOSED into OPEN_FILTERED. This is the pace until a
 *     host shows its limit; from then on {@code IcmpBudget} paces that host by the limit it
 *     learned (never faster than this) and re-probes silences the limit may have caused.
 * @param udpBurst UDP starts allowed at once before the rate applies
 */
public record ProbeLimits(int maxInFlight, int maxInFlightPerTarget, double udpStartsPerSecond, int udpBurst) {

    // The defaults of the engine built without settings (tests, benchmarks), and the one source of
    // the portwatch.probe.* settings' @WithDefault values (AgentSettings.Probe reads these).

    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_TARGET = 4;
    public static final double DEFAULT_UDP_STARTS_PER_SECOND = 20;
    public static final int DEFAULT_UDP_BURST = 5;

    public static final ProbeLimits DEFAULTS = new ProbeLimits(DEFAULT_MAX_IN_FLIGHT,
            DEFAULT_MAX_IN_FLIGHT_PER_TARGET, DEFAULT_UDP_STARTS_PER_SECOND, DEFAULT_UDP_BURST);

    public ProbeLimits {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        if (maxInFlightPerTarget < 1) {
            throw new IllegalArgumentException("maxInFlightPerTarget must be at least 1: " + maxInFlightPerTarget);
        }
        if (!(udpStartsPerSecond > 0) || Double.isInfinite(udpStartsPerSecond)) {
            throw new IllegalArgumentException("udpStartsPerSecond must be positive: " + udpStartsPerSecond);
        }
        if (udpBurst < 1) {
            throw new IllegalArgumentException("udpBurst must be at least 1: " + udpBurst);
        }
    }

    /** The defaults with another global limit (the per-target limit never exceeds it). */
    public static ProbeLimits global(int maxInFlight) {
        return new ProbeLimits(maxInFlight, Math.min(maxInFlight, DEFAULT_MAX_IN_FLIGHT_PER_TARGET),
                DEFAULT_UDP_STARTS_PER_SECOND, DEFAULT_UDP_BURST);
    }
}
