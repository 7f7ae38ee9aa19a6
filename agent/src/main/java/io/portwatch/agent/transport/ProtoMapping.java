package io.portwatch.agent.transport;

import io.portwatch.agent.config.CheckConfig;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.ProbeReason;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.proto.v1.CheckCatalog;
import io.portwatch.proto.v1.Reason;

/**
 * Agent domain → protocol messages. Protocol, state and expectation take their numbers from core's
 * enums (core/check); reasons are the agent's own, names one to one, the switch keeps it checked.
 */
final class ProtoMapping {

    private ProtoMapping() {}

    static CheckCatalog catalog(CheckConfig config) {
        CheckCatalog.Builder b = CheckCatalog.newBuilder().setConfigHash(config.hash());
        for (CheckInstance ci : config.instances()) {
            b.addInstances(io.portwatch.proto.v1.CheckInstance.newBuilder()
                    .setKey(ci.key())
                    .setCheckName(ci.checkName())
                    .setTarget(ci.target())
                    .setProtoValue(ci.protocol().proto())
                    .setPort(ci.port())
                    .setExpectValue(ci.expect().proto())
                    .setIntervalMs((int) ci.interval().toMillis())
                    .setTimeoutMs((int) ci.timeout().toMillis())
                    .putAllLabels(ci.labels()));
        }
        return b.build();
    }

    static io.portwatch.proto.v1.ProbeResult result(String instanceKey, ProbeResult r) {
        return io.portwatch.proto.v1.ProbeResult.newBuilder()
                .setInstanceKey(instanceKey)
                .setStateValue(r.state().proto())
                .setReason(reason(r.reason()))
                .setAddress(r.addressText())
                .setLatencyMicros(r.latency().toNanos() / 1000)
                .setObservedAtMs(r.startedAt().toEpochMilli())
                .setDetail(detail(r.detail()))
                .build();
    }

    static Reason reason(ProbeReason r) {
        return switch (r) {
            case CONNECTED -> Reason.CONNECTED;
            case REFUSED -> Reason.REFUSED;
            case TIMEOUT -> Reason.TIMEOUT;
            case PORT_UNREACHABLE -> Reason.PORT_UNREACHABLE;
            case HOST_UNREACHABLE -> Reason.HOST_UNREACHABLE;
            case NO_ROUTE -> Reason.NO_ROUTE;
            case ADMIN_PROHIBITED -> Reason.ADMIN_PROHIBITED;
            case REPLY -> Reason.REPLY;
            case NO_REPLY -> Reason.NO_REPLY;
            case INVALID_REPLY -> Reason.INVALID_REPLY;
            case BANNER_MISMATCH -> Reason.BANNER_MISMATCH;
            case TLS_FAILED -> Reason.TLS_FAILED;
            case DNS_FAILED -> Reason.DNS_FAILED;
            case LOCAL_ERROR -> Reason.LOCAL_ERROR;
            case CERT_EXPIRING -> Reason.CERT_EXPIRING;
            case ICMP_RATE_LIMITED -> Reason.ICMP_RATE_LIMITED;
        };
    }

    /** The collector's default limit on a result's detail (portwatch.limits.text-length). */
    static final int MAX_DETAIL = 1024;

    /**
     * A detail the collector accepts: control characters other than tab and line breaks escaped
     * (an exception message may quote what a hostile service sent), at most {@link #MAX_DETAIL}
     * characters. A refused batch could never be delivered, and would hold up every later one.
     */
    static String detail(String d) {
        boolean clean = d.length() <= MAX_DETAIL;
        for (int i = 0; clean && i < d.length(); i++) {
            char c = d.charAt(i);
            clean = !escaped(c) && !Character.isSurrogate(c);
        }
        if (clean) {
            return d;
        }
        StringBuilder out = new StringBuilder(Math.min(d.length(), MAX_DETAIL));
        int chars = 0;
        for (int i = 0; i < d.length(); ) {
            int cp = d.codePointAt(i);
            i += Character.charCount(cp);
            String piece = escaped(cp) || Character.getType(cp) == Character.SURROGATE ? String.format("\\u%04x", cp)
                    : new String(Character.toChars(cp));
            int pieceChars = piece.codePointCount(0, piece.length());
            if (chars + pieceChars > MAX_DETAIL - 1) {
                return out.append('…').toString();
            }
            out.append(piece);
            chars += pieceChars;
        }
        return out.toString();
    }

    /** A control character the collector refuses in a detail (it allows tab and line breaks). */
    private static boolean escaped(int cp) {
        return Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r';
    }
}
