package io.portwatch.agent.inventory;

import io.portwatch.agent.inventory.ListeningSocket.Family;
import io.portwatch.agent.inventory.ListeningSocket.Owner;
import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This host's listening sockets, as {@code ss -ltnu} lists them, with the owning process where
 * {@code /proc/<pid>/fd} can be read ({@code ss -p}). Reads the four {@code /proc/net} tables of
 * the network namespace the agent runs in: in a container without the host's network, that is the
 * container's own.
 */
public final class ListeningInventory {

    /** The tables read, in the order they are listed. */
    static final List<ProcNetTable> TABLES = List.of(
            new ProcNetTable(Protocol.TCP, Family.IPV4), new ProcNetTable(Protocol.TCP, Family.IPV6),
            new ProcNetTable(Protocol.UDP, Family.IPV4), new ProcNetTable(Protocol.UDP, Family.IPV6));

    /** By protocol, port, family, then address: the order of a reader scanning for a port. */
    static final Comparator<ListeningSocket> ORDER = Comparator.comparing(ListeningSocket::protocol)
            .thenComparingInt(ListeningSocket::port).thenComparing(ListeningSocket::family)
            .thenComparing(ListeningSocket::local);

    private final Path proc;

    /** Reads under {@code proc}: {@code /proc}, or a captured copy of it in tests. */
    public ListeningInventory(Path proc) {
        this.proc = proc;
    }

    public static ListeningInventory ofHost() {
        return new ListeningInventory(Path.of("/proc"));
    }

    /**
     * The sockets now, sorted. A table that is missing (no IPv6 in the kernel) lists nothing; one
     * that cannot be read otherwise fails with the path and the reason.
     */
    public List<ListeningSocket> read() throws IOException {
        List<ListeningSocket> sockets = new ArrayList<>();
        for (ProcNetTable table : TABLES) {
            Path file = proc.resolve("net").resolve(table.fileName());
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (NoSuchFileException e) {
                continue;
            }
            sockets.addAll(table.parse(lines));
        }
        Set<Long> inodes = sockets.stream().map(ListeningSocket::inode).filter(i -> i != 0).collect(Collectors.toSet());
        Map<Long, Owner> owners = SocketOwners.find(proc, inodes);
        return sockets.stream().map(s -> s.withOwner(owners.getOrDefault(s.inode(), Owner.UNKNOWN))).sorted(ORDER).toList();
    }
}
