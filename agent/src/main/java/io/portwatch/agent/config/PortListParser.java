package io.portwatch.agent.config;

import java.math.BigInteger;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code tcp:} or {@code udp:} list: port numbers and inclusive {@code "a-b"} ranges. A
 * port listed twice is one port. (Well-known service names will be one more case in {@link #add}.)
 */
final class PortListParser {

    static final int MAX_PORT = 65535;

    /** Signed, so that {@code -1} is reported as out of range rather than as unreadable. */
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern RANGE = Pattern.compile("([0-9]+)-([0-9]+)");
    private static final BigInteger MAX = BigInteger.valueOf(MAX_PORT);

    private PortListParser() {}

    /** The listed ports, or null when the list has an error (every error is reported). */
    static BitSet read(NodeReader reader, Node node) {
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
            valid &= add(reader, item, ports);
        }
        return valid ? ports : null;
    }

    private static boolean add(NodeReader reader, Node item, BitSet ports) {
        String text = reader.text(item, "expected a port number or a range \"a-b\"");
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
        reader.error(item, "invalid port \"" + text + "\": expected a number 0-" + MAX_PORT + " or a range \"a-b\"");
        return false;
    }

    /** The port, or -1 after reporting a number outside 0-65535. */
    private static int port(NodeReader reader, Node item, String digits) {
        BigInteger number = new BigInteger(digits);
        if (number.signum() < 0 || number.compareTo(MAX) > 0) {
            reader.error(item, "port " + digits + " is outside 0-" + MAX_PORT);
            return -1;
        }
        return number.intValue();
    }
}
