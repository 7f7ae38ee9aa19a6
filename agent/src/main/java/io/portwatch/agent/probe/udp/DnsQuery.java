package io.portwatch.agent.probe.udp;

import io.portwatch.agent.probe.ReplyValidator;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * A standard DNS query for {@code . IN NS} with recursion desired: every DNS server, authoritative
 * or recursive, answers it somehow. An answer is a datagram with QR set, our 16-bit id, our opcode
 * and our question echoed; its response code does not matter — REFUSED or SERVFAIL still prove a
 * DNS server listens. The random id makes a stray or spoofed datagram unlikely to pass.
 */
public final class DnsQuery implements ReplyValidator {

    public static final DnsQuery VALIDATOR = new DnsQuery();

    private static final int HEADER_BYTES = 12;
    /** Flags: QR 0 (query), opcode 0 (QUERY), RD 1. */
    private static final short FLAGS_RD = 0x0100;
    /** The question: the root name (a single zero-length label), type NS (2), class IN (1). */
    private static final byte[] QUESTION = {0, 0, 2, 0, 1};
    private static final String[] RCODES = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
    };

    private DnsQuery() {
    }

    /** A query with a random id. */
    public static UdpRequest request(RandomGenerator random) {
        return new UdpRequest(encode(random.nextInt(0x10000)), VALIDATOR);
    }

    static byte[] encode(int id) {
        ByteBuffer query = ByteBuffer.allocate(HEADER_BYTES + QUESTION.length);
        query.putShort((short) id).putShort(FLAGS_RD).putShort((short) 1); // QDCOUNT 1
        query.putShort((short) 0).putShort((short) 0).putShort((short) 0); // AN, NS, AR
        return query.put(QUESTION).array();
    }

    @Override
    public boolean accepts(byte[] sent, ByteBuffer reply) {
        int at = reply.position();
        if (reply.remaining() < sent.length || sent.length < HEADER_BYTES) {
            return false;
        }
        boolean sameId = reply.get(at) == sent[0] && reply.get(at + 1) == sent[1];
        int flags = reply.get(at + 2) & 0xff;
        boolean isResponse = (flags & 0x80) != 0;
        boolean sameOpcode = (flags & 0x78) == (sent[2] & 0x78);
        boolean oneQuestion = reply.getShort(at + 4) == 1;
        if (!(sameId && isResponse && sameOpcode && oneQuestion)) {
            return false;
        }
        for (int i = HEADER_BYTES; i < sent.length; i++) {
            // Names compare case-insensitively (resolvers may randomise the case of a query).
            if (lower(reply.get(at + i)) != lower(sent[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe(byte[] sent, ByteBuffer reply) {
        int rcode = reply.get(reply.position() + 3) & 0x0f;
        return "DNS " + (rcode < RCODES.length ? RCODES[rcode] : "rcode " + rcode);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
