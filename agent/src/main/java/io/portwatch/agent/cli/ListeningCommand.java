package io.portwatch.agent.cli;

import io.portwatch.agent.inventory.ListeningInventory;
import io.portwatch.agent.inventory.ListeningSocket;
import io.portwatch.agent.inventory.ListeningSocket.Owner;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code agent listening [--format table|json]}: this host's listening TCP and bound UDP sockets,
 * as {@code ss -ltnup} shows them, read the way the running agent reads its inventory.
 */
final class ListeningCommand {

    private static final List<String> HEADER = List.of("NETID", "LOCAL", "PORT", "SCOPE", "UID", "PID", "COMMAND");
    private static final List<Boolean> RIGHT = List.of(false, false, true, false, true, true, false);

    private ListeningCommand() {}

    static int run(String[] args, ListeningInventory inventory, PrintStream out, PrintStream err) {
        String format = "table";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--format") && i + 1 < args.length) {
                format = args[++i];
            } else if (args[i].startsWith("--format=")) {
                format = args[i].substring("--format=".length());
            } else {
                err.println("agent listening: unknown argument \"" + args[i] + "\"");
                err.println("usage: agent listening [--format table|json]");
                return AgentMain.USAGE;
            }
        }
        if (!format.equals("table") && !format.equals("json")) {
            err.println("agent listening: --format must be table or json, not \"" + format + "\"");
            return AgentMain.USAGE;
        }
        List<ListeningSocket> sockets;
        try {
            sockets = inventory.read();
        } catch (IOException | RuntimeException e) {
            err.println("agent listening: " + e.getMessage());
            return AgentMain.INVALID;
        }
        if (format.equals("json")) {
            json(sockets, out);
        } else {
            table(sockets, out);
        }
        return AgentMain.OK;
    }

    private static void table(List<ListeningSocket> sockets, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ListeningSocket s : sockets) {
            rows.add(List.of(s.family().netid(s.protocol()), s.local(), Integer.toString(s.port()),
                    s.scope().name().toLowerCase(java.util.Locale.ROOT), Integer.toString(s.uid()),
                    s.owner() instanceof Owner.Process p ? Long.toString(p.pid()) : "-",
                    s.owner() instanceof Owner.Process p ? p.command() : "-"));
        }
        Columns.print(rows, RIGHT, out);
        long unknown = sockets.stream().filter(s -> s.owner() instanceof Owner.Unknown).count();
        out.printf("%d socket%s%s%n", sockets.size(), sockets.size() == 1 ? "" : "s",
                unknown == 0 ? "" : ", " + unknown + " without a known process (their /proc/<pid>/fd needs root)");
    }

    private static void json(List<ListeningSocket> sockets, PrintStream out) {
        out.print('[');
        for (int i = 0; i < sockets.size(); i++) {
            ListeningSocket s = sockets.get(i);
            out.print(i == 0 ? "\n  " : ",\n  ");
            out.print("{\"proto\": " + JsonFormatter.string(s.protocol().id())
                    + ", \"family\": " + JsonFormatter.string(s.family() == ListeningSocket.Family.IPV4 ? "ipv4" : "ipv6")
                    + ", \"address\": " + JsonFormatter.string(s.addressText())
                    + ", \"port\": " + s.port()
                    + ", \"scope\": " + JsonFormatter.string(s.scope().name().toLowerCase(java.util.Locale.ROOT))
                    + ", \"uid\": " + s.uid()
                    + ", \"pid\": " + (s.owner() instanceof Owner.Process p ? Long.toString(p.pid()) : "null")
                    + ", \"command\": " + (s.owner() instanceof Owner.Process p ? JsonFormatter.string(p.command()) : "null")
                    + "}");
        }
        out.println(sockets.isEmpty() ? "]" : "\n]");
    }
}
