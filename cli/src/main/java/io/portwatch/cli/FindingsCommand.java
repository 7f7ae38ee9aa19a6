package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portwatch findings}: a host's listening sockets joined with the other agents' checks of it
 * ({@code GET /api/v1/findings}), each with its evidence. Exits 1 when there is one, as status does.
 */
@Command(name = "findings", mixinStandardHelpOptions = true,
        description = "Findings from both sides of each port, with their evidence; exit 1 when there is one.")
final class FindingsCommand implements Callable<Integer> {

    @ParentCommand
    PortwatchCli cli;

    @Option(names = "--kind", paramLabel = "KIND", description = "listening-but-unreachable, bound-to-loopback-only,"
            + " reachable-but-undeclared or declared-but-not-listening")
    String kind;

    @Option(names = "--agent", paramLabel = "ID", description = "the agent of the host the findings are about")
    String agent;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("kind", kind);
        query.put("agent", agent);
        List<JsonNode> findings = Views.elements(cli.client().get("/api/v1/findings", query).body());
        if (cli.json()) {
            cli.printJson(Views.array(findings));
        } else {
            Table table = new Table(Table.Column.text("KIND"), Table.Column.text("HOST_AGENT"), Table.Column.text("PROTO"),
                    Table.Column.number("PORT"), Table.Column.wide("EVIDENCE", 100));
            for (JsonNode f : findings) {
                boolean first = true;
                for (JsonNode e : Views.elements(f.path("evidence"))) {
                    String fact = Views.text(e, "agent") + ": " + Views.text(e, "fact");
                    if (first) {
                        table.row(Views.text(f, "kind"), Views.text(f, "agent"), Views.text(f, "proto"), Views.text(f, "port"), fact);
                    } else {
                        table.row("", "", "", "", fact);
                    }
                    first = false;
                }
            }
            table.print(cli.out());
            cli.out().printf("%d finding%s%n", findings.size(), findings.size() == 1 ? "" : "s");
        }
        return findings.isEmpty() ? Exit.OK : Exit.NOT_HEALTHY;
    }
}
