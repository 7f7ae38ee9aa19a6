package io.portwatch.agent.probe.udp;

import io.portwatch.agent.probe.ReplyValidator;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * An NTPv4 client request (48 bytes, mode 3). The transmit timestamp is random rather than the
 * clock (RFC 9109's advice: it reveals nothing and cannot be guessed); a server copies it into the
 * origin timestamp of its reply. An answer is a server-mode (4) packet whose origin timestamp is
 * ours. A kiss-o'-death (stratum 0, e.g. RATE) is still an NTP server answering.
 */
public final class NtpQuery implements ReplyValidator {

    public static final NtpQuery VALIDATOR = new NtpQuery();

    static final int PACKET_BYTES = 48;
    /** LI 0 (no warning), VN 4, mode 3 (client). */
    private static final byte LI_VN_MODE = 0x23;
    private static final int MODE_SERVER = 4;
    private static final int ORIGIN_OFFSET = 24;
    private static final int TRANSMIT_OFFSET = 40;

    private NtpQuery() {
    }

    public static UdpRequest request(RandomGenerator random) {
        return new UdpRequest(encode(random.nextLong() | 1), VALIDATOR); // never the "unset" 0
    }

    static byte[] encode(long transmitTimestamp) {
        ByteBuffer packet = ByteBuffer.allocate(PACKET_BYTES);
        packet.put(0, LI_VN_MODE);
        packet.putLong(TRANSMIT_OFFSET, transmitTimestamp);
        return packet.array();
    }

    @Override
    public boolean accepts(byte[] sent, ByteBuffer reply) {
        int at = reply.position();
        if (reply.remaining() < PACKET_BYTES || sent.length < PACKET_BYTES) {
            return false;
        }
        if ((reply.get(at) & 0x07) != MODE_SERVER) {
            return false;
        }
        return reply.getLong(at + ORIGIN_OFFSET) == ByteBuffer.wrap(sent).getLong(TRANSMIT_OFFSET);
    }

    @Override
    public String describe(byte[] sent, ByteBuffer reply) {
        int at = reply.position();
        int stratum = reply.get(at + 1) & 0xff;
        if (stratum != 0) {
            return "NTP stratum " + stratum;
        }
        StringBuilder code = new StringBuilder();
        for (int i = 12; i < 16; i++) {
            int c = reply.get(at + i) & 0xff;
            code.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return "NTP kiss-o'-death " + code.toString().trim();
    }
}
