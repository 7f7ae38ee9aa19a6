package io.portwatch.collector.ingest;

import io.portwatch.collector.check.Protocol;
import java.util.Locale;

/** The parts of a check instance key {@code <check name>|<target>|<proto>|<port>}. */
record InstanceKey(String checkName, String target, Protocol protocol, int port) {

    static InstanceKey parse(String key) {
        String[] parts = key.split("\\|", -1);
        if (parts.length != 4 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ProtocolViolation("malformed instance key \"" + key + "\": expected name|target|proto|port");
        }
        Protocol protocol;
        int port;
        try {
            protocol = Protocol.valueOf(parts[2].toUpperCase(Locale.ROOT));
            port = Integer.parseInt(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("malformed instance key \"" + key + "\": " + e.getMessage());
        }
        if (port < 0 || port > 65535) {
            throw new ProtocolViolation("malformed instance key \"" + key + "\": port outside 0-65535");
        }
        return new InstanceKey(parts[0], parts[1], protocol, port);
    }
}
