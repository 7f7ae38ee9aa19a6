package io.portwatch.agent.config;

import io.portwatch.agent.probe.AddressFamily;
import io.portwatch.core.yaml.YamlReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code targets:} list: host names and IPv4/IPv6 literals, checked for syntax only (no
 * DNS at load time: a name that does not resolve is a probe result, not a config error). A target
 * listed twice is one target; targets are kept as written, since they appear in instance keys.
 */
final class TargetListParser {

    /** RFC 1123 labels, plus "_" that container networks use in names; the last label not all digits. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*"
                    + "(?![0-9]+\\.?$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.?");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    /** Restricting the characters keeps {@link InetAddress#getByName} on its literal path, away from DNS. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]+");

    private TargetListParser() {}

    /**
     * The listed targets in file order, each with the node of its first mention, or null when the
     * list has an error (every error is reported).
     */
    static Map<String, Node> read(YamlReader reader, Node node) {
        List<Node> items = reader.sequence(node, "expected a list of targets");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            reader.error(node, "list of targets is empty");
            return null;
        }
        Map<String, Node> targets = new LinkedHashMap<>();
        boolean valid = true;
        for (Node item : items) {
            String target = reader.text(item, "expected a host name or IP address");
            if (target != null && target.isEmpty()) {
                reader.error(item, "target is empty");
            } else if (target != null && !isHostOrAddress(target)) {
                reader.error(item, "invalid target \"" + target + "\": expected a host name or IP address");
            } else if (target != null) {
                targets.putIfAbsent(target, item);
                continue;
            }
            valid = false;
        }
        return valid ? targets : null;
    }

    /** The family of an IP literal; empty for a host name, which may resolve to either. */
    static Optional<AddressFamily> literalFamily(String target) {
        if (target.indexOf(':') >= 0) {
            return Optional.of(AddressFamily.IPV6);
        }
        return IPV4.matcher(target).matches() ? Optional.of(AddressFamily.IPV4) : Optional.empty();
    }

    static boolean isHostOrAddress(String target) {
        if (target.indexOf(':') >= 0) {
            return isIpv6(target);
        }
        return IPV4.matcher(target).matches() || HOST_NAME.matcher(target).matches();
    }

    /** An IPv6 literal, optionally with a zone ({@code fe80::1%eth0}) that is not checked here. */
    private static boolean isIpv6(String target) {
        int percent = target.indexOf('%');
        String address = percent < 0 ? target : target.substring(0, percent);
        if (percent >= 0 && !ZONE.matcher(target.substring(percent + 1)).matches()) {
            return false;
        }
        if (!IPV6_CHARS.matcher(address).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
