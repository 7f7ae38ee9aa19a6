package io.portwatch.agent.probe;

import io.portwatch.core.check.PortState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one probe: a state, the reason for it, the address actually probed (null when
 * none was, e.g. DNS failed), how long it took, when it started, and a human detail (may be empty).
 */
public record ProbeResult(
        PortState state,
        ProbeReason reason,
        InetSocketAddress address,
        Duration latency,
        Instant startedAt,
        String detail) {

    public ProbeResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(startedAt, "startedAt");
        detail = detail == null ? "" : detail;
    }

    /** The probed IP literal, or an empty string when no address was probed. */
    public String addressText() {
        return address == null ? "" : address.getAddress().getHostAddress();
    }
}
