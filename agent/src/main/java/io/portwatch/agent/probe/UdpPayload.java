package io.portwatch.agent.probe;

import java.util.Locale;

/**
 * What a UDP probe sends. Real DNS, NTP and SNMP servers ignore junk datagrams, so a well-formed
 * request of the port's protocol is what makes them answer — and what lets the prober validate
 * the reply.
 */
public sealed interface UdpPayload {

    /** A DNS query (for the root NS); the reply must be a response to our query id. */
    record Dns() implements UdpPayload {}

    /** An NTP client-mode packet; the reply must be a server-mode packet. */
    record Ntp() implements UdpPayload {}

    /** An SNMP v2c GetRequest for sysDescr.0; the reply must be a GetResponse. */
    record Snmp(String community) implements UdpPayload {}

    /** An empty datagram; any reply counts. */
    record None() implements UdpPayload {}

    /** Bytes given as hex in the check file; any reply counts. */
    record Hex(String hex) implements UdpPayload {}

    /** The payload a port's usual service answers: dns for 53, ntp for 123, snmp for 161, else none. */
    static UdpPayload defaultFor(int port) {
        return switch (port) {
            case 53, 5353 -> new Dns();
            case 123 -> new Ntp();
            case 161 -> new Snmp("public");
            default -> new None();
        };
    }

    /** Name as written in check files: dns, ntp, snmp, none, hex:…. */
    default String id() {
        if (this instanceof Hex h) {
            return "hex:" + h.hex().toLowerCase(Locale.ROOT);
        }
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
