package io.portwatch.agent.config;

import io.portwatch.core.check.Protocol;
import io.portwatch.core.yaml.YamlReader;
import java.math.BigInteger;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code tcp:} or {@code udp:} list: port numbers, inclusive {@code "a-b"} ranges and
 * well-known service names ({@link ServiceNames}). A port listed twice is one port.
 */
final class PortListParser {

    static final int MAX_PORT = 65535;

    /** Signed, so that {@code -1} is reported as out of range rather than as unreadable. */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern RANGE = Pattern.compile("([0-9]+)-([0-9]+)");
    /** Anything that starts with a letter is read as a service name, so that a typo is named as one. */
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z][A-Za-z0-9_.+-]*");
    private static final BigInteger MAX = BigInteger.valueOf(MAX_PORT);
    private static final ServiceNames SERVICES = ServiceNames.load();

    private PortListParser() {}

    /** The listed ports, or null when the list has an error (every error is reported). */
    static BitSet read(YamlReader reader, Node node, Protocol protocol) {
        List<Node> items = reader.sequence(node, "expected a list of ports");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            reader.error(node, "list of ports is empty");
            return null;
        }
        BitSet ports = new BitSet(MAX_PORT + 1);
        boolean valid = true;
        for (Node item : items) {
            valid &= add(reader, item, protocol, ports);
        }
        return valid ? ports : null;
    }

    private static boolean add(YamlReader reader, Node item, Protocol protocol, BitSet ports) {
        String text = reader.text(item, "expected a port number, a range \"a-b\" or a service name");
        if (text == null) {
            return false;
        }
        Matcher range = RANGE.matcher(text);
        if (range.matches()) {
            int first = port(reader, item, range.group(1));
            int last = port(reader, item, range.group(2));
            if (first < 0 || last < 0) {
                return false;
            }
            if (first > last) {
                reader.error(item, "range " + text + " is empty (start > end)");
                return false;
            }
            ports.set(first, last + 1);
            return true;
        }
        if (NUMBER.matcher(text).matches()) {
            int port = port(reader, item, text);
            if (port >= 0) {
                ports.set(port);
            }
            return port >= 0;
        }
        if (SERVICE.matcher(text).matches()) {
            return addService(reader, item, protocol, text, ports);
        }
        reader.error(item, "invalid port \"" + text + "\": expected a number 0-" + MAX_PORT
                + ", a range \"a-b\" or a service name");
        return false;
    }

    private static boolean addService(YamlReader reader, Node item, Protocol protocol, String name, BitSet ports) {
        Optional<ServiceNames.Service> service = SERVICES.find(name);
        if (service.isEmpty()) {
            reader.error(item, "unknown " + protocol.id() + " service \"" + name + "\"");
            return false;
        }
        List<Integer> found = service.get().ports(protocol);
        if (found.isEmpty()) {
            Protocol other = protocol == Protocol.TCP ? Protocol.UDP : Protocol.TCP;
            reader.error(item, "service \"" + name + "\" has no " + protocol.id() + " port (it is "
                    + service.get().describe(other) + ")");
            return false;
        }
        found.forEach(ports::set);
        return true;
    }

    /** The port, or -1 after reporting a number outside 0-65535. */
    private static int port(YamlReader reader, Node item, String digits) {
        BigInteger number = new BigInteger(digits);
        if (number.signum() < 0 || number.compareTo(MAX) > 0) {
            reader.error(item, "port " + digits + " is outside 0-" + MAX_PORT);
            return -1;
        }
        return number.intValue();
    }
}
