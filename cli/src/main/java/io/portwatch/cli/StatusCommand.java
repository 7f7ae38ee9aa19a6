package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code portwatch status}: the whole picture in one answer, composed from {@code GET /checks},
 * {@code GET /alerts?state=firing} and {@code GET /agents} (the API has no aggregate endpoint).
 * Exit 1 when something needs a look.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Checks by state, the firing alerts and the agents that are down.",
                "Exit 0 when every check in an agent's catalog is healthy, no alert fires and no agent is down;"
                        + " 1 otherwise (a check unhealthy or unknown, an alert firing, an agent down)."})
final class StatusCommand implements Callable<Integer> {

    /** The firing alerts asked for: the API's largest page. */
    static final int ALERTS = 1000;

    @ParentCommand
    PortwatchCli cli;

    @Override
    public Integer call() {
        ApiClient api = cli.client();
        // Only what the agents still run: an instance dropped from its catalog keeps its history, not a say.
        List<JsonNode> checks = ChecksCommand.list(api, Map.of()).stream()
                .filter(c -> c.path("inCatalog").asBoolean(true)).toList();
        List<JsonNode> firing = Views.elements(api.get("/api/v1/alerts", Map.of("state", "firing", "limit", String.valueOf(ALERTS))).body());
        List<JsonNode> agents = Views.elements(api.get("/api/v1/agents", Map.of()).body());

        Map<String, Long> byState = checks.stream().collect(Collectors.groupingBy(
                c -> c.path("effectiveState").isNull() || c.path("effectiveState").isMissingNode()
                        ? "NO_RESULT_YET" : c.path("effectiveState").asText(),
                TreeMap::new, Collectors.counting()));
        List<JsonNode> unhealthy = checks.stream().filter(StatusCommand::needsALook).toList();
        long healthy = checks.stream().filter(c -> c.path("healthy").asBoolean(false) && !unknown(c)).count();
        Set<String> down = firing.stream().filter(a -> "AGENT_DOWN".equals(a.path("kind").asText()))
                .map(a -> a.path("subject").asText()).collect(Collectors.toCollection(java.util.TreeSet::new));
        List<JsonNode> agentsDown = agents.stream().filter(a -> down.contains(a.path("id").asText())).toList();
        long connected = agents.stream().filter(a -> a.path("connected").asBoolean()).count();
        boolean allGood = unhealthy.isEmpty() && firing.isEmpty() && down.isEmpty();

        if (cli.json()) {
            ObjectNode doc = ApiClient.JSON.createObjectNode();
            doc.put("collector", cli.client().base());
            doc.put("healthy", allGood);
            ObjectNode c = doc.putObject("checks");
            c.put("total", checks.size());
            c.put("healthy", healthy);
            c.put("unhealthy", unhealthy.size());
            ObjectNode states = c.putObject("byState");
            byState.forEach(states::put);
            ObjectNode a = doc.putObject("agents");
            a.put("total", agents.size());
            a.put("connected", connected);
            a.put("down", down.size());
            doc.put("firingAlerts", firing.size());
            doc.set("unhealthyChecks", Views.array(unhealthy));
            doc.set("alerts", Views.array(firing));
            doc.set("agentsDown", Views.array(agentsDown));
            cli.printJson(doc);
            return allGood ? Exit.OK : Exit.NOT_HEALTHY;
        }

        Instant now = cli.clock().instant();
        var out = cli.out();
        out.printf("collector  %s%n", Text.bound(cli.client().base(), Text.MESSAGE));
        out.printf("checks     %d: %d healthy, %d unhealthy or unknown%s%n", checks.size(), healthy, unhealthy.size(),
                byState.isEmpty() ? "" : byState.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ", " (", ")")));
        out.printf("alerts     %d firing%s%n", firing.size(), silenced(firing));
        out.printf("agents     %d: %d connected, %d down%s%n", agents.size(), connected, down.size(),
                down.isEmpty() ? "" : " (" + Text.bound(String.join(", ", down), Text.MESSAGE) + ")");
        if (!unhealthy.isEmpty()) {
            out.println();
            out.println("Unhealthy checks:");
            ChecksCommand.table(unhealthy, now).print(out);
        }
        if (!firing.isEmpty()) {
            out.println();
            out.println("Firing alerts:");
            AlertsCommand.table(firing, now).print(out);
        }
        out.println();
        out.println(allGood ? "all good" : "needs a look");
        out.flush();
        return allGood ? Exit.OK : Exit.NOT_HEALTHY;
    }

    /** Unhealthy, or unknown because its agent is down; a check without a result yet is neither. */
    private static boolean needsALook(JsonNode check) {
        return unknown(check) || (check.path("healthy").isBoolean() && !check.path("healthy").asBoolean());
    }

    private static boolean unknown(JsonNode check) {
        return "UNKNOWN".equals(check.path("effectiveState").asText(null));
    }

    private static String silenced(List<JsonNode> alerts) {
        long n = alerts.stream().filter(a -> a.path("silenced").asBoolean()).count();
        return n == 0 ? "" : " (" + n + " silenced)";
    }
}
