package io.portwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portwatch.agent.inventory.ListeningInventory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code agent listening} on the captured /proc tables (no pid directories, so no owners). */
class ListeningCommandTest {

    // Sorted by protocol, then port, so that a port's IPv4 and IPv6 sockets sit together.

    private static final ListeningInventory CAPTURED =
            new ListeningInventory(Path.of("src/test/resources/testdata/proc/captured"));

    @Test
    void printsATableLikeSs() {
        assertEquals("""
                NETID  LOCAL                      PORT  SCOPE     UID  PID  COMMAND
                tcp6   [::ffff:127.0.0.1]:37145  37145  loopback    0    -  -
                tcp    0.0.0.0:37771             37771  wildcard    0    -  -
                tcp6   [::1]:42141               42141  loopback    0    -  -
                tcp    127.0.0.1:46033           46033  loopback    0    -  -
                tcp6   [::]:60913                60913  wildcard    0    -  -
                udp    127.0.0.1:36642           36642  loopback    0    -  -
                udp6   [::1]:48731               48731  loopback    0    -  -
                udp6   [::]:50093                50093  wildcard    0    -  -
                udp    0.0.0.0:53443             53443  wildcard    0    -  -
                9 sockets, 9 without a known process (their /proc/<pid>/fd needs root)
                """, run(0, "--format", "table"));
    }

    @Test
    void printsJson() {
        String json = run(0, "--format=json");
        assertEquals(11, json.lines().count(), json);
        assertEquals("  {\"proto\": \"tcp\", \"family\": \"ipv6\", \"address\": \"::ffff:127.0.0.1\", \"port\": 37145, "
                + "\"scope\": \"loopback\", \"uid\": 0, \"pid\": null, \"command\": null},", json.lines().toList().get(1));
    }

    @Test
    void refusesAnUnknownFormat() {
        assertEquals("", run(AgentMain.USAGE, "--format", "xml"));
    }

    private static String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ListeningCommand.run(args, CAPTURED, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
