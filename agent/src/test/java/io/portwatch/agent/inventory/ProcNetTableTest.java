package io.portwatch.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portwatch.agent.inventory.ListeningSocket.Family;
import io.portwatch.core.net.BindScope;
import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The {@code /proc/net} parser on tables captured on a little-endian Linux host (x86-64) while a
 * script held one socket of each kind open: {@code testdata/proc/captured/net}. Each row is what
 * {@code ss -ltnu} printed for that socket.
 */
class ProcNetTableTest {

    static final Path CAPTURED = Path.of("src/test/resources/testdata/proc/captured");

    static Stream<Arguments> captured() {
        return Stream.of(
                // table, local as ss prints it, scope, inode
                Arguments.of("tcp", "0.0.0.0:37771", BindScope.WILDCARD, 9606758L),
                Arguments.of("tcp", "127.0.0.1:46033", BindScope.LOOPBACK, 9606759L),
                Arguments.of("tcp6", "[::]:60913", BindScope.WILDCARD, 9606760L),
                Arguments.of("tcp6", "[::1]:42141", BindScope.LOOPBACK, 9606761L),
                Arguments.of("tcp6", "[::ffff:127.0.0.1]:37145", BindScope.LOOPBACK, 9606762L),
                Arguments.of("udp", "0.0.0.0:53443", BindScope.WILDCARD, 9606765L),
                Arguments.of("udp", "127.0.0.1:36642", BindScope.LOOPBACK, 9606766L),
                Arguments.of("udp6", "[::]:50093", BindScope.WILDCARD, 9606768L),
                Arguments.of("udp6", "[::1]:48731", BindScope.LOOPBACK, 9606769L));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("captured")
    void readsEachKindOfSocket(String table, String local, BindScope scope, long inode) throws IOException {
        ListeningSocket s = table(table).parse(lines(table)).stream().filter(x -> x.inode() == inode).findFirst()
                .orElseThrow(() -> new AssertionError(table + ": no socket with inode " + inode));
        assertEquals(local, s.local());
        assertEquals(scope, s.scope());
        assertEquals(table.startsWith("tcp") ? Protocol.TCP : Protocol.UDP, s.protocol());
        assertEquals(table.endsWith("6") ? Family.IPV6 : Family.IPV4, s.family());
        assertEquals(0, s.uid());
    }

    @Test
    void leavesOutConnectedSockets() throws IOException {
        // tcp holds two ESTABLISHED ends of one connection, udp one connected socket: none listens.
        assertEquals(List.of(9606759L, 9606758L), inodes("tcp"));
        assertEquals(List.of(9606766L, 9606765L), inodes("udp"));
        assertEquals(3, inodes("tcp6").size());
        assertEquals(2, inodes("udp6").size());
    }

    @Test
    void routableAddressAndOtherUser() {
        // 192.0.2.10:22, uid 1000, as a little-endian kernel prints it; and as a big-endian one does.
        String le = "   0: 0A0200C0:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0";
        String be = "   0: C000020A:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0";
        for (var c : List.of(new Object[] {le, ByteOrder.LITTLE_ENDIAN}, new Object[] {be, ByteOrder.BIG_ENDIAN})) {
            ListeningSocket s = new ProcNetTable(Protocol.TCP, Family.IPV4, (ByteOrder) c[1])
                    .parse(List.of("header", (String) c[0])).get(0);
            assertEquals("192.0.2.10:22", s.local());
            assertEquals(BindScope.ADDRESS, s.scope());
            assertEquals(1000, s.uid());
        }
    }

    @Test
    void anUnboundUdpSocketIsNotListed() {
        String unbound = "  1: 00000000:0000 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2 0 0";
        assertEquals(List.of(), new ProcNetTable(Protocol.UDP, Family.IPV4, ByteOrder.LITTLE_ENDIAN)
                .parse(List.of("header", unbound)));
    }

    @Test
    void aLineThatIsNotTheKernelsNamesFileAndLine() {
        var table = new ProcNetTable(Protocol.TCP, Family.IPV6, ByteOrder.LITTLE_ENDIAN);
        var e = assertThrows(IllegalArgumentException.class, () -> table.parse(List.of("header",
                "   0: 0100007F:B3D1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0")));
        assertEquals("/proc/net/tcp6:2: address \"0100007F\" has 8 digits, expected 32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> table.parse(List.of("header", "   0: garbage")));
        assertEquals("/proc/net/tcp6:2: expected at least 10 fields, found 2", e.getMessage());
    }

    private static ProcNetTable table(String name) {
        return new ProcNetTable(name.startsWith("tcp") ? Protocol.TCP : Protocol.UDP,
                name.endsWith("6") ? Family.IPV6 : Family.IPV4, ByteOrder.LITTLE_ENDIAN);
    }

    private static List<String> lines(String table) throws IOException {
        return Files.readAllLines(CAPTURED.resolve("net").resolve(table));
    }

    private static List<Long> inodes(String table) throws IOException {
        return table(table).parse(lines(table)).stream().map(ListeningSocket::inode).toList();
    }
}
