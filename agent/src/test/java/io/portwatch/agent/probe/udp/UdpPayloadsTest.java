package io.portwatch.agent.probe.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.probe.ReplyValidator;
import io.portwatch.agent.probe.UdpPayload;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The bytes each payload puts on the wire, against vectors taken from the RFCs and real tools. */
class UdpPayloadsTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void dnsQueryIsDotInNsWithRecursionDesired() {
        assertArrayEquals(hex("abcd 0100 0001 0000 0000 0000 00 0002 0001"), DnsQuery.encode(0xabcd));
    }

    /** What {@code snmpget -v2c -c public HOST 1.3.6.1.2.1.1.1.0} sends, with request-id 0x12345678. */
    @Test
    void snmpGetRequestMatchesNetSnmpBytes() {
        assertArrayEquals(hex("3029 020101 0406 7075626c6963 a01c 020412345678 020100 020100"
                + " 300e 300c 0608 2b06010201010100 0500"), SnmpGet.encode("public", 0x12345678));
    }

    @Test
    void snmpIntegersAreMinimalAndLongCommunitiesUseLongFormLengths() {
        byte[] small = SnmpGet.encode("public", 5);
        assertEquals("020105", HexFormat.of().formatHex(small, 15, 18), "request-id 5 is one byte");
        byte[] highBit = SnmpGet.encode("public", 0x80);
        assertEquals("02020080", HexFormat.of().formatHex(highBit, 15, 19), "0x80 needs a leading zero");

        String community = "c".repeat(200);
        byte[] message = SnmpGet.encode(community, 1);
        assertEquals(0x30, message[0] & 0xff);
        assertEquals(0x81, message[1] & 0xff, "message length in long form, one byte");
        assertEquals(message.length - 3, message[2] & 0xff);
        assertTrue(SnmpGet.VALIDATOR.accepts(message, ByteBuffer.wrap(asResponse(message))));
    }

    @Test
    void ntpRequestIsA48ByteVersion4ClientPacket() {
        byte[] packet = NtpQuery.encode(0x0123_4567_89ab_cdefL);
        assertEquals(48, packet.length);
        assertEquals(0x23, packet[0], "LI 0, VN 4, mode 3");
        assertEquals(0x0123_4567_89ab_cdefL, ByteBuffer.wrap(packet).getLong(40), "transmit timestamp");
        for (int i = 1; i < 40; i++) {
            assertEquals(0, packet[i], "byte " + i);
        }
    }

    @Test
    void eachRequestHasAFreshRandomId() {
        UdpRequest a = UdpPayloads.request(new UdpPayload.Dns());
        UdpRequest b = UdpPayloads.request(new UdpPayload.Dns());
        UdpRequest c = UdpPayloads.request(new UdpPayload.Dns());
        // Three 16-bit ids all equal by chance: once in 2^32 runs.
        assertFalse(a.payload()[0] == b.payload()[0] && a.payload()[1] == b.payload()[1]
                && b.payload()[0] == c.payload()[0] && b.payload()[1] == c.payload()[1]);
        assertNotEquals(ByteBuffer.wrap(UdpPayloads.request(new UdpPayload.Ntp()).payload()).getLong(40),
                ByteBuffer.wrap(UdpPayloads.request(new UdpPayload.Ntp()).payload()).getLong(40));
        assertSame(DnsQuery.VALIDATOR, a.validator());
    }

    @Test
    void noneAndHexSendFixedBytesAndAcceptAnyReply() {
        UdpRequest none = UdpPayloads.request(new UdpPayload.None());
        UdpRequest bytes = UdpPayloads.request(new UdpPayload.Hex("de ad BE EF"));

        assertArrayEquals(new byte[0], none.payload());
        assertArrayEquals(hex("deadbeef"), bytes.payload());
        assertSame(ReplyValidator.ANY, none.validator());
        assertSame(ReplyValidator.ANY, bytes.validator());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> UdpPayloads.request(new UdpPayload.Hex("abc")));
        assertTrue(odd.getMessage().startsWith("invalid hex payload \"abc\""), odd.getMessage());
    }

    @Test
    void validatorsRejectTruncatedAndForeignDatagrams() {
        byte[] dns = DnsQuery.encode(7);
        byte[] ntp = NtpQuery.encode(7);
        byte[] snmp = SnmpGet.encode("public", 7);
        for (byte[] junk : new byte[][] {new byte[0], new byte[] {0x30}, hex("3003020101"), new byte[48]}) {
            assertFalse(DnsQuery.VALIDATOR.accepts(dns, ByteBuffer.wrap(junk)));
            assertFalse(NtpQuery.VALIDATOR.accepts(ntp, ByteBuffer.wrap(junk)));
            assertFalse(SnmpGet.VALIDATOR.accepts(snmp, ByteBuffer.wrap(junk)));
        }
        assertFalse(SnmpGet.VALIDATOR.accepts(snmp, ByteBuffer.wrap(snmp)), "our own request is no answer");
        assertFalse(DnsQuery.VALIDATOR.accepts(dns, ByteBuffer.wrap(dns)), "nor is an echoed query");
    }

    /** The request with its PDU tag turned into GetResponse: the smallest valid answer. */
    private static byte[] asResponse(byte[] request) {
        byte[] response = request.clone();
        for (int i = 0; i < response.length; i++) {
            if ((response[i] & 0xff) == 0xA0) {
                response[i] = (byte) 0xA2;
                return response;
            }
        }
        throw new AssertionError("no GetRequest tag");
    }
}
