package io.portwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.inventory.ListeningInventory;
import io.portwatch.agent.inventory.ListeningSocket;
import io.portwatch.agent.inventory.ListeningSocket.Owner;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message the reporter sends, from the captured /proc tables. */
class ListeningReporterTest {

    @Test
    void sendsAtMostMaxSocketsAndSaysWhenItLeftSomeOut() throws Exception {
        List<ListeningSocket> sockets = new ListeningInventory(Path.of("src/test/resources/testdata/proc/captured")).read();
        assertEquals(9, sockets.size());
        List<InetAddress> addresses = List.of(InetAddress.getByName("192.0.2.7"));

        var all = ListeningReporter.message(sockets, addresses, 9);
        assertEquals(9, all.getSocketsCount());
        assertFalse(all.getTruncated());
        assertEquals(0, all.getObservedAtMs(), "the time is set when it is sent, so equal sets compare equal");
        assertEquals(4, all.getHostAddresses(0).size());
        var first = all.getSockets(0);
        assertEquals(37145, first.getPort());
        assertEquals(16, first.getAddress().size(), "an IPv4-mapped address of a tcp6 socket stays 16 bytes");
        assertEquals(0, first.getPid(), "no owner known: pid 0");
        assertEquals("", first.getCommand());

        var cut = ListeningReporter.message(sockets, addresses, 4);
        assertEquals(4, cut.getSocketsCount());
        assertTrue(cut.getTruncated());

        var owned = ListeningReporter.message(List.of(sockets.get(0).withOwner(new Owner.Process(42, "nginx"))), addresses, 9);
        assertEquals(42, owned.getSockets(0).getPid());
        assertEquals("nginx", owned.getSockets(0).getCommand());
    }
}
