package io.portwatch.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "0:0:0:0:0:0:0:1, ::1",
            "0:0:0:0:0:0:0:0, ::",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "fe80:0:0:0:0:0:0:1, fe80::1",
            "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "[::1], ::1",
            "fe80::1%lo, fe80::1"})
    void writesTheCompressedForm(String literal, String text) {
        assertEquals(text, IpText.of(IpText.literal(literal).orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "localhost", "1.2.3", "256.1.1.1", "", "a:b:zz::1", "1.2.3.4.5"})
    void readsNoHostName(String text) {
        assertTrue(IpText.literal(text).isEmpty(), text);
    }

    @ParameterizedTest
    @CsvSource({"::ffff:127.0.0.1", "::ffff:10.1.2.3"})
    void keepsAMappedAddressMapped(String text) throws Exception {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(text.substring(7)).getAddress(), 0, a, 12, 4);
        assertEquals(text, IpText.of(a));
        assertTrue(IpText.mappedV4(a));
    }
}
