package io.portwatch.collector.ingest;

import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import io.portwatch.proto.v1.Reason;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps protocol enums onto the collector's domain: states and protocols by core's numbers, where
 * unknown or unset values are protocol errors; reasons to their kebab-case text.
 */
final class ProtoMapping {

    private ProtoMapping() {}

    /** The state of a result's {@code state} number (core's mapping); unset or unknown is a protocol error. */
    static PortState state(int number) {
        PortState s = PortState.fromProto(number);
        if (s == null) {
            throw new ProtocolViolation("result without a state");
        }
        return s;
    }

    /** The protocol of a check instance's {@code proto} number (core's mapping); unset or unknown is a protocol error. */
    static Protocol protocol(int number) {
        Protocol p = Protocol.fromProto(number);
        if (p == null) {
            throw new ProtocolViolation("check instance without a protocol");
        }
        return p;
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
