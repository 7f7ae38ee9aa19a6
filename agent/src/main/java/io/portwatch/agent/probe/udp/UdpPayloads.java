package io.portwatch.agent.probe.udp;

import io.portwatch.agent.probe.ReplyValidator;
import io.portwatch.agent.probe.UdpPayload;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Turns a check's {@link UdpPayload} into the datagram of one probe: a fresh random id per probe
 * for the protocols whose replies can be matched (DNS, NTP, SNMP); {@code none} and {@code hex}
 * send fixed bytes and accept any reply.
 */
public final class UdpPayloads {

    private UdpPayloads() {
    }

    public static UdpRequest request(UdpPayload payload) {
        return request(payload, ThreadLocalRandom.current());
    }

    /**
     * @throws IllegalArgumentException for a hex payload that is not an even number of hex digits
     */
    public static UdpRequest request(UdpPayload payload, RandomGenerator random) {
        if (payload instanceof UdpPayload.Dns) {
            return DnsQuery.request(random);
        }
        if (payload instanceof UdpPayload.Ntp) {
            return NtpQuery.request(random);
        }
        if (payload instanceof UdpPayload.Snmp snmp) {
            return SnmpGet.request(snmp.community(), random);
        }
        if (payload instanceof UdpPayload.Hex hex) {
            return new UdpRequest(parseHex(hex.hex()), ReplyValidator.ANY);
        }
        return new UdpRequest(new byte[0], ReplyValidator.ANY); // none: an empty datagram
    }

    private static byte[] parseHex(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid hex payload \"" + hex + "\": " + e.getMessage(), e);
        }
    }
}
