package io.portwatch.agent.probe.udp;

import io.portwatch.agent.probe.ReplyValidator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * An SNMP v2c GetRequest for sysDescr.0 (1.3.6.1.2.1.1.1.0), BER-encoded by hand (RFC 3416):
 *
 * <pre>
 * SEQUENCE { INTEGER 1 (v2c), OCTET STRING community,
 *   GetRequest-PDU [0xA0] { INTEGER request-id, INTEGER 0, INTEGER 0,
 *     SEQUENCE { SEQUENCE { OID sysDescr.0, NULL } } } }
 * </pre>
 *
 * An answer is a message whose PDU is a GetResponse ([0xA2]) carrying our random request-id; an
 * agent that knows the community answers it even when it has no sysDescr (error-status or a
 * noSuchObject value). An agent that does not know the community stays silent, as SNMP demands:
 * that looks like OPEN_FILTERED, which is the truth as far as the probe can tell.
 */
public final class SnmpGet implements ReplyValidator {

    public static final SnmpGet VALIDATOR = new SnmpGet();

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int NULL = 0x05;
    private static final int OID = 0x06;
    private static final int GET_REQUEST = 0xA0;
    private static final int GET_RESPONSE = 0xA2;
    private static final int VERSION_2C = 1;
    /** 1.3.6.1.2.1.1.1.0: 1.3 packs into 0x2B, every other arc is below 128. */
    private static final byte[] SYS_DESCR_0 = {0x2B, 6, 1, 2, 1, 1, 1, 0};
    private static final int SHOWN_CHARS = 80;

    private SnmpGet() {
    }

    public static UdpRequest request(String community, RandomGenerator random) {
        // Positive request-ids only: some agents mishandle negative ones.
        return new UdpRequest(encode(community, random.nextInt(1, Integer.MAX_VALUE)), VALIDATOR);
    }

    static byte[] encode(String community, int requestId) {
        byte[] varBind = tlv(SEQUENCE, tlv(OID, SYS_DESCR_0), tlv(NULL));
        byte[] pdu = tlv(GET_REQUEST, integer(requestId), integer(0), integer(0), tlv(SEQUENCE, varBind));
        return tlv(SEQUENCE, integer(VERSION_2C),
                tlv(OCTET_STRING, community.getBytes(StandardCharsets.UTF_8)), pdu);
    }

    @Override
    public boolean accepts(byte[] sent, ByteBuffer reply) {
        Long ours = requestId(ByteBuffer.wrap(sent), GET_REQUEST);
        Long theirs = requestId(reply.duplicate(), GET_RESPONSE);
        return ours != null && ours.equals(theirs);
    }

    /** The error-status, or the sysDescr value when it is a string. */
    @Override
    public String describe(byte[] sent, ByteBuffer reply) {
        ByteBuffer in = reply.duplicate();
        if (enterPdu(in, GET_RESPONSE) < 0) {
            return "SNMP";
        }
        skip(in); // request-id
        Long errorStatus = readInteger(in);
        if (errorStatus == null || errorStatus != 0) {
            return "SNMP error-status " + errorStatus;
        }
        skip(in); // error-index
        if (enter(in, SEQUENCE) < 0 || enter(in, SEQUENCE) < 0) {
            return "SNMP";
        }
        skip(in); // the OID
        if (!in.hasRemaining() || (in.get(in.position()) & 0xff) != OCTET_STRING) {
            return "SNMP";
        }
        int length = enter(in, OCTET_STRING);
        byte[] value = new byte[Math.min(length, SHOWN_CHARS)];
        in.get(value);
        return "SNMP sysDescr \"" + new String(value, StandardCharsets.ISO_8859_1).strip() + '"';
    }

    // ---- BER: just what a GetRequest and a GetResponse need ------------------------------

    /** The request-id of a message whose PDU has tag {@code pduTag}, or null if it is not one. */
    private static Long requestId(ByteBuffer in, int pduTag) {
        return enterPdu(in, pduTag) < 0 ? null : readInteger(in);
    }

    /** Positions {@code in} at the first field of the PDU; the PDU's length, or -1. */
    private static int enterPdu(ByteBuffer in, int pduTag) {
        if (enter(in, SEQUENCE) < 0) {
            return -1;
        }
        skip(in); // version
        skip(in); // community
        return enter(in, pduTag);
    }

    /** Reads the tag and length of a value of type {@code tag}; its length, or -1 on a mismatch. */
    private static int enter(ByteBuffer in, int tag) {
        if (in.remaining() < 2 || (in.get() & 0xff) != tag) {
            return -1;
        }
        int first = in.get() & 0xff;
        int length = first;
        if (first > 0x80 && first <= 0x84) { // long form: the next (first & 0x7f) bytes
            length = 0;
            for (int i = 0; i < (first & 0x7f) && in.hasRemaining(); i++) {
                length = (length << 8) | (in.get() & 0xff);
            }
        } else if (first >= 0x80) {
            return -1; // indefinite or absurd lengths are not SNMP
        }
        return length >= 0 && length <= in.remaining() ? length : -1;
    }

    private static void skip(ByteBuffer in) {
        if (in.remaining() < 2) {
            in.position(in.limit());
            return;
        }
        int tag = in.get(in.position()) & 0xff;
        int length = enter(in, tag);
        in.position(length < 0 ? in.limit() : in.position() + length);
    }

    private static Long readInteger(ByteBuffer in) {
        int length = enter(in, INTEGER);
        if (length < 1 || length > 8) {
            return null;
        }
        long value = in.get(); // sign-extended: BER integers are two's complement
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (in.get() & 0xff);
        }
        return value;
    }

    private static byte[] integer(int value) {
        // Minimal two's complement: drop leading bytes that only repeat the sign (X.690 8.3.2).
        byte[] full = ByteBuffer.allocate(4).putInt(value).array();
        int from = 0;
        while (from < 3 && ((full[from] == 0 && full[from + 1] >= 0) || (full[from] == -1 && full[from + 1] < 0))) {
            from++;
        }
        byte[] content = new byte[4 - from];
        System.arraycopy(full, from, content, 0, content.length);
        return tlv(INTEGER, content);
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
