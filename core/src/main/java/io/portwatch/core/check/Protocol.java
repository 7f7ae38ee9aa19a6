package io.portwatch.core.check;

import java.util.Locale;

/** Transport protocol of a check instance. */
public enum Protocol {
    TCP(1),
    UDP(2);

    private final int proto;
    private final String id = name().toLowerCase(Locale.ROOT);

    Protocol(int proto) {
        this.proto = proto;
    }

    /** Lower-case name as written in check files, instance keys and the collector's JSON. */
    public String id() {
        return id;
    }

    /** Its number in the protocol's {@code portwatch.v1.Protocol}. */
    public int proto() {
        return proto;
    }

    /** The protocol a {@code portwatch.v1.Protocol} number names; null for PROTOCOL_UNSPECIFIED or a number unknown here. */
    public static Protocol fromProto(int number) {
        for (Protocol p : values()) {
            if (p.proto == number) {
                return p;
            }
        }
        return null;
    }
}
