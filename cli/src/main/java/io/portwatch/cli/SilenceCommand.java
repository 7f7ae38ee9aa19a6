package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portwatch.core.DurationParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code portwatch silence add|list|expire}: silences ({@code /api/v1/silences}); writes need an operator key. */
@Command(name = "silence", mixinStandardHelpOptions = true,
        description = "Silences: alerts they match are recorded but not notified while they are active.",
        subcommands = {SilenceCommand.Add.class, SilenceCommand.ListSilences.class, SilenceCommand.Expire.class})
final class SilenceCommand {

    static final String PATH = "/api/v1/silences";
    /** The matcher keys of a silence; labels.NAME=VALUE matches a label (as silence list shows it). */
    static final List<String> KEYS = List.of("rule", "check", "target", "proto", "port", "agent");
    static final String LABELS = "labels.";

    @ParentCommand
    PortwatchCli cli;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Creates a silence from now on; prints it (its id is what expire takes).")
    static final class Add implements Callable<Integer> {

        @ParentCommand
        SilenceCommand silence;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--match", paramLabel = "KEY=VALUE", required = true,
                description = "what the silence mutes, repeatable (all must match): rule, check, target, proto, port,"
                        + " agent or labels.NAME; values are exact or globs with * and ?, e.g. check=web-*")
        List<String> matches = new ArrayList<>();

        @Option(names = "--for", paramLabel = "DURATION", defaultValue = "1h",
                description = "how long from now, e.g. 30m, 2h, 1d12h (default 1h)")
        String duration;

        @Option(names = "--comment", paramLabel = "TEXT", required = true, description = "why (required)")
        String comment;

        @Option(names = "--created-by", paramLabel = "NAME", description = "who; default $USER")
        String createdBy;

        @Override
        public Integer call() {
            PortwatchCli cli = silence.cli;
            Duration length = DurationParser.parse(duration).filter(d -> !d.isZero()).orElseThrow(() -> usage(
                    "--for \"" + Text.bound(duration, 64) + "\": " + DurationParser.EXPECTED + " (or d), more than zero"));
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.set("matchers", matchers());
            body.put("endsAt", cli.clock().instant().plus(length).toString());
            body.put("comment", comment);
            body.put("createdBy", createdBy != null ? createdBy : cli.user());
            JsonNode created = cli.client().post(PATH, body).body();
            print(cli, created);
            return Exit.OK;
        }

        private ObjectNode matchers() {
            ObjectNode m = ApiClient.JSON.createObjectNode();
            for (String match : matches) {
                int eq = match.indexOf('=');
                String key = eq < 0 ? match : match.substring(0, eq);
                if (eq <= 0) {
                    throw usage("--match \"" + Text.bound(match, 64) + "\": expected KEY=VALUE, e.g. check=web-*");
                }
                String value = match.substring(eq + 1);
                if (key.startsWith(LABELS) && key.length() > LABELS.length()) {
                    m.withObjectProperty("labels").put(key.substring(LABELS.length()), value);
                } else if (KEYS.contains(key)) {
                    m.put(key, value);
                } else {
                    throw usage("--match \"" + Text.bound(match, 64) + "\": unknown key \"" + Text.bound(key, 64)
                            + "\"; expected one of " + String.join(", ", KEYS) + " or labels.NAME");
                }
            }
            return m;
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Silences, newest first; by default the active and pending ones.")
    static final class ListSilences implements Callable<Integer> {

        @ParentCommand
        SilenceCommand silence;

        @Option(names = "--status", paramLabel = "STATUS", defaultValue = "current",
                description = "current (active and pending; default), active, pending, expired, or all")
        String status;

        @Override
        public Integer call() {
            PortwatchCli cli = silence.cli;
            boolean current = "current".equalsIgnoreCase(status);
            String wanted = current || "all".equalsIgnoreCase(status) ? null : status;
            List<JsonNode> list = Views.elements(cli.client().get(PATH, java.util.Collections.singletonMap("status", wanted)).body())
                    .stream().filter(s -> !current || !"EXPIRED".equals(s.path("status").asText())).toList();
            if (cli.json()) {
                cli.printJson(Views.array(list));
                return Exit.OK;
            }
            table(list).print(cli.out());
            cli.out().printf("%d silence%s%n", list.size(), list.size() == 1 ? "" : "s");
            return Exit.OK;
        }
    }

    @Command(name = "expire", mixinStandardHelpOptions = true,
            description = "Ends a silence now (it stays listed as expired). An expired one is left as it is.")
    static final class Expire implements Callable<Integer> {

        @ParentCommand
        SilenceCommand silence;

        @Parameters(paramLabel = "ID", description = "the silence's id (silence list shows it)")
        long id;

        @Override
        public Integer call() {
            PortwatchCli cli = silence.cli;
            String path = PATH + "/" + id;
            ApiClient.Answer current = cli.client().get(path, Map.of());
            JsonNode s = current.body();
            if ("EXPIRED".equals(s.path("status").asText())) {
                if (cli.json()) {
                    cli.printJson(s);
                } else {
                    cli.out().println("silence " + id + " had already expired at " + Views.time(Views.instant(s, "endsAt")));
                }
                return Exit.OK;
            }
            // The collector's clock decides what has expired, so the end is its time (its Date
            // header), not this host's; a pending silence is moved to start just before it.
            Instant end = current.date().orElse(cli.clock().instant());
            Instant start = Views.instant(s, "startsAt");
            if (start == null || !start.isBefore(end)) {
                start = end.minusMillis(1);
            }
            ObjectNode body = ApiClient.JSON.createObjectNode();
            body.set("matchers", s.path("matchers"));
            body.put("startsAt", start.toString());
            body.put("endsAt", end.toString());
            body.put("comment", s.path("comment").asText());
            body.put("createdBy", s.path("createdBy").asText());
            JsonNode expired = cli.client().put(path, body).body();
            if (cli.json()) {
                cli.printJson(expired);
            } else {
                cli.out().println("silence " + id + " expired at " + Views.time(Views.instant(expired, "endsAt")));
            }
            return Exit.OK;
        }
    }

    static void print(PortwatchCli cli, JsonNode silence) {
        if (cli.json()) {
            cli.printJson(silence);
            return;
        }
        table(List.of(silence)).print(cli.out());
    }

    static Table table(List<JsonNode> silences) {
        Table table = new Table(Table.Column.number("ID"), Table.Column.text("STATUS"), Table.Column.wide("MATCHERS", 60),
                Table.Column.text("STARTS"), Table.Column.text("ENDS"), Table.Column.text("CREATED_BY"),
                Table.Column.wide("COMMENT", 60));
        for (JsonNode s : silences) {
            table.row(Views.text(s, "id"), Views.text(s, "status"), Views.pairs(s.path("matchers")),
                    Views.time(Views.instant(s, "startsAt")), Views.time(Views.instant(s, "endsAt")),
                    Views.text(s, "createdBy"), Views.text(s, "comment"));
        }
        return table;
    }
}
