package io.portwatch.collector.ingest;

import io.portwatch.collector.check.Expectation;
import io.portwatch.collector.check.PortState;
import io.portwatch.collector.check.Protocol;
import io.portwatch.proto.v1.Reason;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Maps protocol enums onto the collector's domain. Unknown or unset values are protocol errors. */
final class ProtoMapping {

    private ProtoMapping() {}

    static PortState state(io.portwatch.proto.v1.PortState s) {
        return switch (s) {
            case OPEN -> PortState.OPEN;
            case CLOSED -> PortState.CLOSED;
            case FILTERED -> PortState.FILTERED;
            case OPEN_FILTERED -> PortState.OPEN_FILTERED;
            case ERROR -> PortState.ERROR;
            case UNKNOWN -> PortState.UNKNOWN;
            case STATE_UNSPECIFIED, UNRECOGNIZED -> throw new ProtocolViolation("result without a state");
        };
    }

    static Protocol protocol(io.portwatch.proto.v1.Protocol p) {
        return switch (p) {
            case TCP -> Protocol.TCP;
            case UDP -> Protocol.UDP;
            case PROTOCOL_UNSPECIFIED, UNRECOGNIZED -> throw new ProtocolViolation("check instance without a protocol");
        };
    }

    static Expectation expectation(io.portwatch.proto.v1.Expectation e) {
        return e == io.portwatch.proto.v1.Expectation.EXPECT_CLOSED ? Expectation.CLOSED : Expectation.OPEN;
    }

    /** Each reason's text, made once: every result asks for one. */
    private static final Map<Reason, String> REASONS = new EnumMap<>(Reason.class);

    static {
        for (Reason r : Reason.values()) {
            REASONS.put(r, r == Reason.REASON_UNSPECIFIED || r == Reason.UNRECOGNIZED
                    ? "unknown" : r.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    /** Kebab-case reason as the API shows it, e.g. {@code port-unreachable}. */
    static String reason(Reason r) {
        return REASONS.get(r);
    }

    static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }
}
