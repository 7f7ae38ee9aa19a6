package io.portwatch.agent.probe;

import io.portwatch.core.testing.LoopbackTargets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Answers as real DNS, NTP and SNMP servers would, written from the RFCs independently of the
 * probe's encoders, plus the ways a reply can be wrong. Each is an answer function for
 * {@link LoopbackTargets.UdpResponder}; they return null (silence) for requests they cannot parse,
 * as real servers do.
 */
final class ProtocolResponders {

    private ProtocolResponders() {
    }

    /** Header (id, flags, counts) then the question copied from the query. */
    static BiFunction<Integer, byte[], byte[]> dns(int rcode, boolean wrongId, boolean queryBit) {
        return (i, query) -> {
            if (query.length < 17) {
                return null;
            }
            byte[] reply = query.clone(); // id, counts and question as asked; no answers
            if (wrongId) {
                reply[1] ^= 0x01;
            }
            reply[2] = (byte) ((query[2] & 0x79) | (queryBit ? 0 : 0x80)); // QR, keep opcode and RD
            reply[3] = (byte) (0x80 | rcode); // RA, rcode
            return reply;
        };
    }

    /** A stratum-2 server reply whose origin timestamp is the request's transmit timestamp. */
    static BiFunction<Integer, byte[], byte[]> ntp(int mode, boolean wrongOrigin) {
        return (i, request) -> {
            if (request.length != 48 || (request[0] & 0x07) != 3) {
                return null;
            }
            ByteBuffer reply = ByteBuffer.allocate(48);
            reply.put(0, (byte) (0x20 | mode)); // LI 0, VN 4
            reply.put(1, (byte) 2); // stratum
            reply.putLong(24, ByteBuffer.wrap(request).getLong(40) + (wrongOrigin ? 1 : 0));
            reply.putLong(32, 0xE9A1_0000_0000_0000L); // receive
            reply.putLong(40, 0xE9A1_0000_1000_0000L); // transmit
            return reply.array();
        };
    }

    /** A message with {@code pduTag} (0xA2 GetResponse), the request's id (or not) and a sysDescr. */
    static BiFunction<Integer, byte[], byte[]> snmp(String community, int pduTag, boolean wrongId) {
        return (i, request) -> {
            SnmpRequest parsed = SnmpRequest.parse(request);
            if (parsed == null || !parsed.community.equals(community)) {
                return null; // agents ignore unknown communities
            }
            byte[] oid = {0x2B, 6, 1, 2, 1, 1, 1, 0};
            byte[] varBind = tlv(0x30, tlv(0x06, oid), tlv(0x04, "Linux portwatch-test".getBytes(StandardCharsets.US_ASCII)));
            byte[] pdu = tlv(pduTag, tlv(0x02, parsed.requestId(wrongId)), tlv(0x02, new byte[] {0}),
                    tlv(0x02, new byte[] {0}), tlv(0x30, varBind));
            return tlv(0x30, tlv(0x02, new byte[] {1}), tlv(0x04, community.getBytes(StandardCharsets.UTF_8)), pdu);
        };
    }

    /** The two fields an SNMP agent needs back, read with short-form lengths only (enough here). */
    private record SnmpRequest(String community, byte[] requestIdBytes) {
        static SnmpRequest parse(byte[] m) {
            try {
                int at = 2; // SEQUENCE header (short form: the probe's request is small)
                at += 2 + m[at + 1]; // version
                int communityLength = m[at + 1];
                String community = new String(m, at + 2, communityLength, StandardCharsets.UTF_8);
                at += 2 + communityLength;
                if ((m[at] & 0xff) != 0xA0) {
                    return null;
                }
                at += 2; // GetRequest-PDU header
                int idLength = m[at + 1];
                return new SnmpRequest(community, Arrays.copyOfRange(m, at + 2, at + 2 + idLength));
            } catch (RuntimeException e) {
                return null;
            }
        }

        byte[] requestId(boolean wrong) {
            byte[] id = requestIdBytes.clone();
            if (wrong) {
                id[id.length - 1] ^= 0x01;
            }
            return id;
        }
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(content.size()); // short form: every message here is under 128 bytes
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
