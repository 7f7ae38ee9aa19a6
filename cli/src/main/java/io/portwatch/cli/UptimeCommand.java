package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code portwatch uptime CHECK}: uptime, samples and latency over a window ({@code GET /api/v1/checks/{id}/uptime}). */
@Command(name = "uptime", mixinStandardHelpOptions = true,
        description = "Uptime %%, samples, latency percentiles and incidents of a check over a window.")
final class UptimeCommand implements Callable<Integer> {

    @ParentCommand
    PortwatchCli cli;

    @Parameters(paramLabel = "CHECK",
            description = "a check id (a number), or a check name: every instance of that name (each target, port and agent)")
    String check;

    @Option(names = "--window", paramLabel = "WINDOW", defaultValue = "24h",
            description = "hours or days up to now: 24h (default), 7d, 30d, 365d; at most 400d (the collector checks it)")
    String window;

    @Override
    public Integer call() {
        ApiClient api = cli.client();
        List<JsonNode> instances = !check.isEmpty() && check.chars().allMatch(c -> c >= '0' && c <= '9')
                ? List.of(api.get("/api/v1/checks/" + check, Map.of()).body())
                : ChecksCommand.list(api, Map.of()).stream().filter(c -> check.equals(c.path("name").asText())).toList();
        if (instances.isEmpty()) {
            cli.err().println("portwatch: no check is named \"" + Text.bound(check, 128)
                    + "\" (give a check's name or id; portwatch checks lists them)");
            return Exit.API_ERROR;
        }
        List<JsonNode> reports = new ArrayList<>();
        for (JsonNode instance : instances) {
            reports.add(api.get("/api/v1/checks/" + instance.path("id").asLong() + "/uptime", Map.of("window", window)).body());
        }
        if (cli.json()) {
            cli.printJson(Views.array(reports));
            return Exit.OK;
        }
        Table table = new Table(Table.Column.number("ID"), Table.Column.text("CHECK"), Table.Column.text("AGENT"),
                Table.Column.text("TARGET"), Table.Column.text("PORT"), Table.Column.text("WINDOW"),
                Table.Column.number("UPTIME_%"), Table.Column.number("SAMPLES"), Table.Column.number("P50_MS"),
                Table.Column.number("P95_MS"), Table.Column.number("P99_MS"), Table.Column.number("INCIDENTS"));
        for (int i = 0; i < instances.size(); i++) {
            JsonNode c = instances.get(i);
            JsonNode r = reports.get(i);
            JsonNode latency = r.path("latency");
            table.row(Views.text(c, "id"), Views.text(c, "name"), Views.text(c, "agentId"), Views.text(c, "target"),
                    Views.text(c, "proto") + "/" + Views.text(c, "port"),
                    r.hasNonNull("window") ? Views.text(r, "window") : Views.time(Views.instant(r, "from")),
                    Views.text(r, "uptimePercent"), Views.text(r, "samples"), Views.text(latency, "p50Ms"),
                    Views.text(latency, "p95Ms"), Views.text(latency, "p99Ms"),
                    Integer.toString(r.path("incidents").size()));
        }
        table.print(cli.out());
        return Exit.OK;
    }
}
