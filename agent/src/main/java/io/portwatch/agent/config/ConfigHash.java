package io.portwatch.agent.config;

import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.UdpPayload;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 (lower-case hex) of a canonical form of check instances: the same instances give the
 * same hash whichever files, file order or key order they were written in. Every field of
 * {@link CheckInstance} takes part, so a field added there must be added here.
 */
final class ConfigHash {

    private ConfigHash() {}

    static String of(List<CheckInstance> instances) {
        StringBuilder canonical = new StringBuilder();
        instances.stream().sorted(Comparator.comparing(CheckInstance::key)).forEach(instance -> {
            field(canonical, instance.key());
            field(canonical, instance.expect().name());
            field(canonical, instance.interval().toString());
            field(canonical, instance.timeout().toString());
            Map<String, String> labels = new TreeMap<>(instance.labels());
            field(canonical, Integer.toString(labels.size()));
            labels.forEach((name, value) -> {
                field(canonical, name);
                field(canonical, value);
            });
            field(canonical, instance.family().name());
            probe(canonical, instance.probe());
        });
        return HexFormat.of().formatHex(sha256().digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void probe(StringBuilder canonical, ProbeSpec probe) {
        if (probe instanceof ProbeSpec.Tcp tcp) {
            field(canonical, "tcp");
            field(canonical, tcp.send());
            field(canonical, tcp.expectBanner());
            field(canonical, Boolean.toString(tcp.tls()));
            if (tcp.tlsMinDays() > 0) {
                // Only when set, so that every configuration written before tls_min_days keeps its hash
                // (a new hash makes the collector store the catalog again). The marker cannot be
                // mistaken for the next instance's first field, its key, which always contains '|'.
                field(canonical, "tls_min_days=" + tcp.tlsMinDays());
            }
        } else if (probe instanceof ProbeSpec.Udp udp) {
            field(canonical, "udp");
            // id() is dns, ntp, snmp, none or hex:<digits>; the community is not part of it.
            field(canonical, udp.payload().id());
            field(canonical, udp.payload() instanceof UdpPayload.Snmp snmp ? snmp.community() : null);
            field(canonical, Integer.toString(udp.retries()));
        } else {
            throw new IllegalArgumentException("unknown probe spec " + probe);
        }
    }

    /**
     * Length-prefixed, so that no choice of names or label values makes two lists read the same;
     * null is "~", which no length prefix starts with.
     */
    private static void field(StringBuilder canonical, String value) {
        if (value == null) {
            canonical.append("~;");
            return;
        }
        canonical.append(value.length()).append(':').append(value).append(';');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
