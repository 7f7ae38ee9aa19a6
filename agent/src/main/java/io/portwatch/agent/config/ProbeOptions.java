package io.portwatch.agent.config;

import io.portwatch.agent.probe.AddressFamily;
import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.UdpPayload;
import io.portwatch.core.yaml.YamlReader;
import java.math.BigInteger;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The probe keys written at one level of a check file (defaults or a check) and the rules on them:
 * {@code family} for every port; {@code payload}, {@code community}, {@code retries} for UDP
 * ports; {@code send}, {@code expect_banner}, {@code tls}, {@code tls_min_days} for TCP ports. A
 * check with both lists may carry both kinds, each applying to its protocol.
 */
final class ProbeOptions {

    static final int MAX_RETRIES = 10;
    static final String DEFAULT_COMMUNITY = "public";
    /** The largest UDP payload over IPv4 (65535 - 20 bytes IP header - 8 bytes UDP header). */
    static final int MAX_DATAGRAM = 65507;
    static final List<String> UDP_KEYS = List.of("payload", "community", "retries");
    static final List<String> TCP_KEYS = List.of("send", "expect_banner", "tls", "tls_min_days");

    private static final String EXPECTED_FAMILY = "expected any, ipv4 or ipv6";
    private static final String EXPECTED_PAYLOAD = "expected dns, ntp, snmp, none or hex:<hex digits>";
    private static final String EXPECTED_RETRIES = "expected a whole number 0-" + MAX_RETRIES;
    private static final String EXPECTED_TLS_MIN_DAYS = "expected a whole number of days 1-"
            + ProbeSpec.Tcp.MAX_TLS_MIN_DAYS;
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private AddressFamily family;
    /** A key was present but unreadable: rules that depend on its value are not checked. */
    private boolean familyUnreadable;
    private UdpPayload payload;
    private String community;
    private Integer retries;
    private String send;
    private String expectBanner;
    private boolean tls;
    /** tls was written but unreadable: the rule "tls_min_days needs tls: true" is not checked. */
    private boolean tlsUnreadable;
    /** Null when not given (or unreadable). */
    private Integer tlsMinDays;

    void readFamily(YamlReader r, Node node) {
        String text = r.text(node, EXPECTED_FAMILY);
        family = switch (text == null ? "" : text) {
            case "any" -> AddressFamily.ANY;
            case "ipv4" -> AddressFamily.IPV4;
            case "ipv6" -> AddressFamily.IPV6;
            default -> {
                if (text != null) {
                    r.error(node, "invalid family \"" + text + "\": " + EXPECTED_FAMILY);
                }
                familyUnreadable = true;
                yield null;
            }
        };
    }

    void readPayload(YamlReader r, Node node) {
        String text = r.text(node, EXPECTED_PAYLOAD);
        if (text == null) {
            return;
        }
        payload = switch (text) {
            case "dns" -> new UdpPayload.Dns();
            case "ntp" -> new UdpPayload.Ntp();
            case "snmp" -> new UdpPayload.Snmp(DEFAULT_COMMUNITY);
            case "none" -> new UdpPayload.None();
            default -> text.startsWith("hex:") ? hex(r, node, text) : null;
        };
        if (payload == null && !text.startsWith("hex:")) {
            r.error(node, "invalid payload \"" + text + "\": " + EXPECTED_PAYLOAD);
        }
    }

    private static UdpPayload hex(YamlReader r, Node node, String text) {
        String digits = text.substring("hex:".length());
        String invalid = null;
        for (int i = 0; i < digits.length() && invalid == null; i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                invalid = "\"" + digits.charAt(i) + "\" is not a hex digit";
            }
        }
        if (invalid == null && digits.isEmpty()) {
            invalid = "no hex digits (an empty datagram is payload none)";
        } else if (invalid == null && digits.length() % 2 != 0) {
            invalid = "an odd number of hex digits (" + digits.length() + ")";
        } else if (invalid == null && digits.length() / 2 > MAX_DATAGRAM) {
            invalid = (digits.length() / 2) + " bytes, more than the largest UDP datagram (" + MAX_DATAGRAM + ")";
        }
        if (invalid != null) {
            r.error(node, "invalid payload \"" + abbreviate(text) + "\": " + invalid);
            return null;
        }
        return new UdpPayload.Hex(digits.toLowerCase(Locale.ROOT));
    }

    void readCommunity(YamlReader r, Node node) {
        community = r.text(node, "expected an SNMP community");
        if (community != null && community.isEmpty()) {
            r.error(node, "community is empty");
            community = null;
        }
    }

    void readRetries(YamlReader r, Node node) {
        String text = r.text(node, EXPECTED_RETRIES);
        if (text != null && !INTEGER.matcher(text).matches()) {
            r.error(node, "invalid retries \"" + text + "\": " + EXPECTED_RETRIES);
        } else if (text != null && (text.startsWith("-") || new BigInteger(text).compareTo(BigInteger.TEN) > 0)) {
            r.error(node, "retries " + text + " is outside 0-" + MAX_RETRIES);
        } else if (text != null) {
            retries = Integer.parseInt(text);
        }
    }

    void readSend(YamlReader r, Node node) {
        String text = r.text(node, "expected a text to send");
        if (text == null) {
            return;
        }
        if (text.isEmpty()) {
            r.error(node, "send is empty");
            return;
        }
        // A double-quoted YAML scalar has had its escapes (a superset of ours) applied by YAML.
        boolean doubleQuoted = node instanceof ScalarNode scalar
                && scalar.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
        send = SendText.decode(text, !doubleQuoted, message -> r.error(node, message));
    }

    void readExpectBanner(YamlReader r, Node node) {
        String text = r.text(node, "expected a regular expression");
        if (text == null) {
            return;
        }
        try {
            Pattern.compile(text);
            expectBanner = text;
        } catch (PatternSyntaxException e) {
            String near = e.getIndex() >= 0 ? " near index " + e.getIndex() : "";
            r.error(node, "invalid expect_banner regex \"" + abbreviate(text) + "\": " + e.getDescription() + near);
        }
    }

    void readTls(YamlReader r, Node node) {
        String text = r.text(node, "expected true or false");
        if ("true".equals(text) || "false".equals(text)) {
            tls = Boolean.parseBoolean(text);
        } else {
            if (text != null) {
                r.error(node, "invalid tls \"" + text + "\": expected true or false");
            }
            tlsUnreadable = true;
        }
    }

    void readTlsMinDays(YamlReader r, Node node) {
        String text = r.text(node, EXPECTED_TLS_MIN_DAYS);
        if (text != null && !INTEGER.matcher(text).matches()) {
            r.error(node, "invalid tls_min_days \"" + abbreviate(text) + "\": " + EXPECTED_TLS_MIN_DAYS);
        } else if (text != null && (new BigInteger(text).compareTo(BigInteger.ONE) < 0
                || new BigInteger(text).compareTo(BigInteger.valueOf(ProbeSpec.Tcp.MAX_TLS_MIN_DAYS)) > 0)) {
            r.error(node, "tls_min_days " + abbreviate(text) + " is outside 1-" + ProbeSpec.Tcp.MAX_TLS_MIN_DAYS);
        } else if (text != null) {
            tlsMinDays = Integer.parseInt(text);
        }
    }

    /**
     * Reports the rules on a whole check: keys for a protocol it has no list of, family against IP
     * literals among its targets, community without an SNMP payload. {@code keys} are the check's
     * keys with their nodes; {@code targets} and {@code udpPorts} are null where unreadable.
     */
    void check(YamlReader r, Map<String, ScalarNode> keys, Map<String, Node> targets, BitSet udpPorts,
            ProbeOptions inherited) {
        boolean hasTcp = keys.containsKey("tcp");
        boolean hasUdp = keys.containsKey("udp");
        if (hasTcp != hasUdp) {
            List<String> foreign = hasTcp ? UDP_KEYS : TCP_KEYS;
            String[] protocols = hasTcp ? new String[] {"udp", "tcp"} : new String[] {"tcp", "udp"};
            foreign.stream().filter(keys::containsKey).forEach(key -> r.error(keys.get(key),
                    "\"" + key + "\" applies to " + protocols[0] + " ports only; this check has "
                            + protocols[1] + " ports only"));
        }
        // The expiry is read from the certificate the handshake received: without TLS there is none.
        // A check without tcp ports has already been told that tls_min_days is a tcp key.
        if (keys.containsKey("tls_min_days") && hasTcp && !tls && !tlsUnreadable) {
            r.error(keys.get("tls_min_days"), "\"tls_min_days\" applies to checks with tls: true only");
        }
        AddressFamily effective = family(inherited);
        boolean unreadable = family == null && (familyUnreadable || inherited.familyUnreadable);
        if (targets != null && !unreadable && effective != AddressFamily.ANY) {
            targets.forEach((target, node) -> TargetListParser.literalFamily(target)
                    .filter(literal -> literal != effective)
                    .ifPresent(literal -> r.error(node, "target \"" + target + "\" is an " + name(literal)
                            + " address, but family is " + effective.name().toLowerCase(Locale.ROOT))));
        }
        if (community != null && hasUdp) {
            if (payload != null && !(payload instanceof UdpPayload.Snmp)) {
                r.error(keys.get("community"), "\"community\" applies to payload snmp only; this check's payload is "
                        + payload.id());
            } else if (!keys.containsKey("payload") && udpPorts != null && udpPorts.stream()
                    .noneMatch(port -> UdpPayload.defaultFor(port) instanceof UdpPayload.Snmp)) {
                r.error(keys.get("community"), "\"community\" applies to payload snmp only; "
                        + "none of this check's udp ports defaults to snmp");
            }
        }
    }

    AddressFamily family(ProbeOptions inherited) {
        return family != null ? family : inherited.family != null ? inherited.family : AddressFamily.ANY;
    }

    ProbeSpec.Tcp tcp() {
        return new ProbeSpec.Tcp(send, expectBanner, tls, tlsMinDays == null ? 0 : tlsMinDays);
    }

    CheckSpec.UdpProbe udp(ProbeOptions inherited) {
        int effectiveRetries = retries != null ? retries
                : inherited.retries != null ? inherited.retries : ProbeSpec.Udp.DEFAULT_RETRIES;
        return new CheckSpec.UdpProbe(payload, community, effectiveRetries);
    }

    private static String name(AddressFamily family) {
        return family == AddressFamily.IPV4 ? "IPv4" : "IPv6";
    }

    /** Messages quote what was written, but not a whole page of hex. */
    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
