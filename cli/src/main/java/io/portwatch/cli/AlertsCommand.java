package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code portwatch alerts}: alerts newest first ({@code GET /api/v1/alerts}). */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts, newest first; by default the firing ones.")
final class AlertsCommand implements Callable<Integer> {

    @ParentCommand
    PortwatchCli cli;

    @Option(names = "--state", paramLabel = "STATE", defaultValue = "firing",
            description = "firing (default), pending, resolved, or all")
    String state;

    @Option(names = "--kind", paramLabel = "KIND", description = "port, exposure, no_data or agent_down")
    String kind;

    @Option(names = "--limit", paramLabel = "N", description = "at most this many (the API's default is 100, at most 1000)")
    String limit;

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("state", "all".equalsIgnoreCase(state) ? null : state);
        query.put("kind", kind);
        query.put("limit", limit);
        List<JsonNode> alerts = Views.elements(cli.client().get("/api/v1/alerts", query).body());
        if (cli.json()) {
            cli.printJson(Views.array(alerts));
            return Exit.OK;
        }
        table(alerts, cli.clock().instant()).print(cli.out());
        cli.out().printf("%d alert%s%n", alerts.size(), alerts.size() == 1 ? "" : "s");
        return Exit.OK;
    }

    /** The columns of a list of alerts, shared with status's firing alerts. */
    static Table table(List<JsonNode> alerts, Instant now) {
        Table table = new Table(Table.Column.number("ID"), Table.Column.text("STATE"), Table.Column.text("KIND"),
                Table.Column.text("SEVERITY"), Table.Column.text("RULE"), Table.Column.text("SUBJECT"),
                Table.Column.text("SINCE"), Table.Column.text("SILENCED"), Table.Column.wide("SUMMARY", 80));
        for (JsonNode a : alerts) {
            Instant since = Views.instant(a, "firedAt") != null ? Views.instant(a, "firedAt") : Views.instant(a, "startedAt");
            String silenced = a.path("silenced").asBoolean() ? "yes (" + Views.text(a, "silenceId") + ")" : "no";
            table.row(Views.text(a, "id"), Views.text(a, "state"), Views.text(a, "kind"), Views.text(a, "severity"),
                    Views.text(a, "rule"), Views.text(a, "subject"), Views.age(since, now), silenced,
                    Views.text(a, "summary"));
        }
        return table;
    }
}
