package io.portwatch.collector.ingest;

import io.portwatch.core.check.Protocol;
import java.util.List;

/** The parts of a check instance key {@code <check name>|<target>|<proto>|<port>}. */
record InstanceKey(String checkName, String target, Protocol protocol, int port) {

    /** {@code Protocol.values()} copies its array at every call; every result's key is checked. */
    private static final List<Protocol> PROTOCOLS = List.of(Protocol.values());

    static InstanceKey parse(String key) {
        int[] pipes = validate(key);
        return new InstanceKey(key.substring(0, pipes[0]), key.substring(pipes[0] + 1, pipes[1]),
                protocol(key, pipes[1] + 1, pipes[2]), Integer.parseInt(key, pipes[2] + 1, key.length(), 10));
    }

    /**
     * Checks a key without taking it apart (ingest checks every result's key): the positions of
     * its three separators, or a {@link ProtocolViolation} naming what is wrong.
     */
    static int[] validate(String key) {
        int first = key.indexOf('|');
        int second = first < 0 ? -1 : key.indexOf('|', first + 1);
        int third = second < 0 ? -1 : key.indexOf('|', second + 1);
        if (third < 0 || key.indexOf('|', third + 1) >= 0 || first == 0 || second == first + 1) {
            throw malformed(key, "expected name|target|proto|port");
        }
        if (protocol(key, second + 1, third) == null) {
            throw malformed(key, "No enum constant " + Protocol.class.getName() + "."
                    + key.substring(second + 1, third).toUpperCase(java.util.Locale.ROOT));
        }
        int port;
        try {
            port = Integer.parseInt(key, third + 1, key.length(), 10);
        } catch (NumberFormatException e) {
            throw malformed(key, "For input string: \"" + key.substring(third + 1) + "\"");
        }
        if (port < 0 || port > 65535) {
            throw malformed(key, "port outside 0-65535");
        }
        return new int[] {first, second, third};
    }

    /** The protocol named in key[from, to), in any case; null when there is none of that name. */
    private static Protocol protocol(String key, int from, int to) {
        for (Protocol p : PROTOCOLS) {
            String name = p.name();
            if (name.length() == to - from && key.regionMatches(true, from, name, 0, name.length())) {
                return p;
            }
        }
        return null;
    }

    private static ProtocolViolation malformed(String key, String why) {
        return new ProtocolViolation("malformed instance key \"" + key + "\": " + why);
    }
}
