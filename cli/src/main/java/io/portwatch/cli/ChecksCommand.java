package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code portwatch checks}: the check instances and their current state ({@code GET /api/v1/checks}). */
@Command(name = "checks", mixinStandardHelpOptions = true,
        description = "Check instances with their current state, by id. Filters combine with AND.")
final class ChecksCommand implements Callable<Integer> {

    /** Checks per request: the API's default page. */
    static final int PAGE = 1000;

    @ParentCommand
    PortwatchCli cli;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--state", paramLabel = "STATE",
            description = "the current state: open, closed, filtered, open_filtered, error, or unknown (agent down)")
    String state;

    @Option(names = "--target", paramLabel = "HOST", description = "a target exactly as written in the check file")
    String target;

    @Option(names = "--agent", paramLabel = "ID", description = "an agent id")
    String agent;

    @Option(names = "--unhealthy", description = "only the checks whose last result is unhealthy")
    boolean unhealthy;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "a label the check carries, exactly (repeatable; filtered by the CLI: the API has no label filter)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("state", state);
        query.put("target", target);
        query.put("agent", agent);
        query.put("healthy", unhealthy ? "false" : null);
        List<JsonNode> checks = list(cli.client(), query).stream().filter(this::hasLabels).toList();
        if (cli.json()) {
            cli.printJson(Views.array(checks));
            return Exit.OK;
        }
        Instant now = cli.clock().instant();
        table(checks, now).print(cli.out());
        long bad = checks.stream().filter(c -> c.path("healthy").isBoolean() && !c.path("healthy").asBoolean()).count();
        cli.out().printf("%d check%s, %d unhealthy%n", checks.size(), checks.size() == 1 ? "" : "s", bad);
        return Exit.OK;
    }

    static List<JsonNode> list(ApiClient client, Map<String, String> query) {
        return client.all("/api/v1/checks", query, PAGE);
    }

    private boolean hasLabels(JsonNode check) {
        JsonNode have = check.path("labels");
        return labels.entrySet().stream().allMatch(l -> l.getValue().equals(have.path(l.getKey()).asText(null)));
    }

    /** The columns of a list of checks, shared with status's unhealthy checks. */
    static Table table(List<JsonNode> checks, Instant now) {
        Table table = new Table(Table.Column.number("ID"), Table.Column.text("AGENT"), Table.Column.text("CHECK"),
                Table.Column.text("TARGET"), Table.Column.text("PROTO"), Table.Column.number("PORT"),
                Table.Column.text("EXPECT"), Table.Column.text("STATE"), Table.Column.text("REASON"),
                Table.Column.text("HEALTHY"), Table.Column.text("SINCE"), Table.Column.number("LATENCY_MS"));
        for (JsonNode c : checks) {
            table.row(Views.text(c, "id"), Views.text(c, "agentId"), Views.text(c, "name"), Views.text(c, "target"),
                    lower(Views.text(c, "proto")), Views.text(c, "port"), lower(Views.text(c, "expect")),
                    Views.text(c, "effectiveState"), Views.text(c, "reason"), health(c),
                    Views.age(Views.instant(c, "stateSince"), now), Views.text(c, "latencyMs"));
        }
        return table;
    }

    /** yes, NO, or - before the first result; unknown while the agent is down. */
    private static String health(JsonNode check) {
        if ("UNKNOWN".equals(Views.text(check, "effectiveState"))) return "unknown";
        JsonNode h = check.path("healthy");
        return h.isBoolean() ? (h.asBoolean() ? "yes" : "NO") : null;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }
}
