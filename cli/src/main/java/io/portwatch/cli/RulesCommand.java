package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code portwatch rules list}: the alert rules in force ({@code GET /api/v1/alert-rules}). */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Alert rules.",
        subcommands = RulesCommand.ListRules.class)
final class RulesCommand {

    @ParentCommand
    PortwatchCli cli;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The rules in force, by name, with where each comes from (default, file or api).")
    static final class ListRules implements Callable<Integer> {

        @ParentCommand
        RulesCommand rules;

        @Override
        public Integer call() {
            PortwatchCli cli = rules.cli;
            List<JsonNode> list = Views.elements(cli.client().get("/api/v1/alert-rules", Map.of()).body());
            if (cli.json()) {
                cli.printJson(Views.array(list));
                return Exit.OK;
            }
            Table table = new Table(Table.Column.text("NAME"), Table.Column.text("SOURCE"), Table.Column.wide("MATCH", 60),
                    Table.Column.text("WHEN"), Table.Column.number("RECOVER_AFTER"), Table.Column.number("QUORUM"),
                    Table.Column.text("SEVERITY"), Table.Column.text("CHANNELS"));
            for (JsonNode r : list) {
                String when = r.hasNonNull("after") ? "after " + Views.text(r, "after")
                        : r.hasNonNull("for") ? "for " + Views.text(r, "for") : null;
                String match = Views.pairs(r.path("match"));
                table.row(Views.text(r, "name"), Views.text(r, "source"), match.isEmpty() ? "(every check)" : match, when,
                        Views.text(r, "recover_after"), Views.text(r, "quorum"), Views.text(r, "severity"),
                        Views.list(r.path("channels")).isEmpty() ? "(every notifier)" : Views.list(r.path("channels")));
            }
            table.print(cli.out());
            return Exit.OK;
        }
    }
}
