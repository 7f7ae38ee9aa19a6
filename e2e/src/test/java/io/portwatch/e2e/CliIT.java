package io.portwatch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.cli.PortwatchCli;
import io.portwatch.core.testing.LoopbackTargets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every command of {@code ./portwatch status|checks|uptime|alerts|silence|rules} against a packaged
 * collector on its embedded PostgreSQL, fed by a packaged agent probing ports this test holds on
 * loopback. The CLI's main runs in this JVM (its exit code and output captured), over real HTTP.
 * Reads need a key here (anonymous read is off); silences need the operator key the test issues.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final Path ROOT = Path.of(System.getProperty("portwatch.root", ".."));
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoopbackTargets.Standard targets;
    private static Path work;
    private static Path checksDir;
    private static String url;
    private static String adminKey;
    private static String operatorKey;
    private static AppProcess collector;
    private static AppProcess agent;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        targets = new LoopbackTargets.Standard();
        work = Files.createTempDirectory("portwatch-e2e-cli");
        checksDir = Files.createDirectories(work.resolve("checks.d"));
        Files.writeString(checksDir.resolve("cli.yaml"), """
                defaults:
                  interval: 1s
                  timeout: 500ms
                checks:
                  - name: web-front
                    targets: [127.0.0.1]
                    tcp: [%d]
                    labels: {team: web}
                  - name: no-exposure
                    targets: [127.0.0.1]
                    tcp: [%d]
                    expect: closed
                    labels: {team: security}
                """.formatted(targets.openTcp, targets.closedTcp));
        // One rule, for the check "api" only: "db" can then be unhealthy while nothing fires.
        Path rules = Files.writeString(work.resolve("alert-rules.yaml"), """
                rules:
                  - name: api-down
                    match: {check: api}
                    after: 2
                    severity: critical
                """);
        adminKey = secret("pwk_");
        String ingestToken = secret("cli-");
        int port = DeployStack.freePort();
        url = "http://127.0.0.1:" + port;
        Map<String, String> collectorEnv = new HashMap<>();
        collectorEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        collectorEnv.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        collectorEnv.put("PORTWATCH_DATA_DIR", work.resolve("postgres").toString());
        collectorEnv.put("PORTWATCH_SECURITY_ADMIN_KEY", adminKey);
        collectorEnv.put("PORTWATCH_INGEST_TOKEN", ingestToken);
        collectorEnv.put("PORTWATCH_ALERTS_RULES_FILE", rules.toString());
        // The last test stops the agent: its AGENT_DOWN alert within seconds, not the default minute.
        // The agent sends a batch every second meanwhile, so it is never silent this long before.
        collectorEnv.put("PORTWATCH_ALERTS_AGENT_DOWN_AFTER", "15s");
        collectorEnv.put("PORTWATCH_ALERTS_SWEEP_INTERVAL", "1s");
        collector = AppProcess.start("collector", ROOT.resolve("collector/target/quarkus-app"), collectorEnv,
                work.resolve("collector.log"));
        DeployStack.awaitTrue("collector ready", Duration.ofSeconds(120), CliIT::ready, collector);
        operatorKey = issueOperatorKey();

        Map<String, String> agentEnv = AppProcess.agentEnv("cli-agent", checksDir, work, port);
        agentEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        agentEnv.put("PORTWATCH_COLLECTOR_TOKEN", ingestToken);
        agent = AppProcess.start("agent", ROOT.resolve("agent/target/quarkus-app"), agentEnv, work.resolve("agent.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) agent.close();
        if (collector != null) collector.close();
        if (targets != null) targets.close();
        WorkDirs.delete(work);
    }

    @Test
    @Order(1)
    void statusExits0WhenEveryCheckIsHealthyAndNothingFires() throws InterruptedException {
        DeployStack.awaitTrue("both checks reported", SETTLE, () -> cli("checks", "-o", "json").json().size() == 2
                && all(cli("checks", "-o", "json").json(), c -> c.path("healthy").asBoolean()), agent, collector);
        Run status = cli("status");
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().contains("checks     2: 2 healthy, 0 unhealthy or unknown"), status::toString);
        assertTrue(status.out().contains("agents     1: 1 connected, 0 down"), status::toString);
        assertTrue(status.out().strip().endsWith("all good"), status::toString);

        Run json = cli("status", "--output", "json");
        assertEquals(0, json.exit(), json::toString);
        assertTrue(json.json().path("healthy").asBoolean(), json::toString);
        assertEquals(2, json.json().path("checks").path("healthy").asInt(), json::toString);
        assertEquals(1, json.json().path("checks").path("byState").path("OPEN").asInt(), json::toString);
    }

    @Test
    @Order(2)
    void checksPrintsATableOrJsonAndFilters() {
        Run table = cli("checks");
        assertEquals(0, table.exit(), table::toString);
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).matches(" *ID +AGENT +CHECK +TARGET +PROTO +PORT +EXPECT +STATE +REASON +HEALTHY +SINCE +LATENCY_MS"),
                table::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*cli-agent +web-front +127\\.0\\.0\\.1 +tcp +" + targets.openTcp
                + " +open +OPEN +connected +yes .*")), table::toString);
        assertEquals("2 checks, 0 unhealthy", lines.get(lines.size() - 1), table::toString);

        Run closed = cli("checks", "--state", "closed", "-o", "json");
        assertEquals(0, closed.exit(), closed::toString);
        assertEquals(List.of("no-exposure"), names(closed.json()), closed::toString);

        Run web = cli("-o", "json", "checks", "--label", "team=web", "--target", "127.0.0.1");
        assertEquals(List.of("web-front"), names(web.json()), web::toString);
        assertEquals(List.of(), names(cli("checks", "--label", "team=nobody", "-o", "json").json()));

        Run badState = cli("checks", "--state", "up");
        assertEquals(3, badState.exit(), badState::toString);
        assertTrue(badState.err().contains("400 Bad Request: state \"up\" must be one of open, closed, filtered,"),
                badState::toString);
    }

    @Test
    @Order(3)
    void anUnhealthyCheckMakesStatusExit1EvenWhenNothingFires() throws IOException, InterruptedException {
        Files.writeString(checksDir.resolve("db.yaml"), checkFile("db", targets.closedTcp));
        DeployStack.awaitTrue("db reported", SETTLE, () -> cli("checks", "--unhealthy", "-o", "json").json().size() == 1,
                agent, collector);
        Run status = cli("status");
        assertEquals(1, status.exit(), status::toString);
        assertTrue(status.out().contains("checks     3: 2 healthy, 1 unhealthy or unknown"), status::toString);
        assertTrue(status.out().contains("alerts     0 firing"), status::toString);
        assertTrue(status.out().lines().anyMatch(l -> l.matches(".* db +127\\.0\\.0\\.1 .* CLOSED +refused +NO .*")),
                status::toString);
        assertFalse(status.out().contains("Firing alerts:"), status::toString);
        assertTrue(status.out().strip().endsWith("needs a look"), status::toString);
        assertEquals(0, cli("alerts", "-o", "json").json().size());
    }

    @Test
    @Order(4)
    void aFiringAlertIsListedAndInStatus() throws IOException, InterruptedException {
        Files.writeString(checksDir.resolve("api.yaml"), checkFile("api", targets.closedTcp));
        DeployStack.awaitTrue("api-down fires for api", SETTLE, () -> cli("alerts", "-o", "json").json().findValues("subject")
                .stream().anyMatch(s -> s.asText().startsWith("api|")), agent, collector);
        Run status = cli("status");
        assertEquals(1, status.exit(), status::toString);
        assertTrue(status.out().contains("alerts     1 firing"), status::toString);
        assertTrue(status.out().contains("Unhealthy checks:") && status.out().contains("Firing alerts:"), status::toString);
        assertTrue(status.out().lines().anyMatch(l -> l.matches(".* api +127\\.0\\.0\\.1 .* CLOSED +refused +NO .*")),
                status::toString);
        assertTrue(status.out().strip().endsWith("needs a look"), status::toString);
        Run json = cli("status", "-o", "json");
        assertEquals(1, json.exit(), json::toString);
        assertFalse(json.json().path("healthy").asBoolean(), json::toString);
        assertEquals(2, json.json().path("checks").path("unhealthy").asInt(), json::toString);
        assertEquals(1, json.json().path("firingAlerts").asInt(), json::toString);

        Run alerts = cli("alerts");
        assertEquals(0, alerts.exit(), alerts::toString);
        assertTrue(alerts.out().lines().anyMatch(l -> l.matches(" *\\d+ +FIRING +PORT +critical +api-down +api\\|127\\.0\\.0\\.1\\|tcp\\|"
                + targets.closedTcp + " .* no +tcp/" + targets.closedTcp + " on 127\\.0\\.0\\.1 is CLOSED.*")), alerts::toString);
        Run resolved = cli("alerts", "--state", "resolved", "-o", "json");
        assertEquals(0, resolved.json().size(), resolved::toString);
    }

    @Test
    @Order(5)
    void uptimeByNameOrIdAndABadWindowIsTheProblemDetail() {
        Run byName = cli("uptime", "web-front", "--window", "1h");
        assertEquals(0, byName.exit(), byName::toString);
        assertTrue(byName.out().lines().anyMatch(l -> l.matches(" *\\d+ +web-front +cli-agent +127\\.0\\.0\\.1 +TCP/"
                + targets.openTcp + " +1h +100\\.0 +\\d+ .*")), byName::toString);

        long apiId = cli("checks", "-o", "json").json().findParents("name").stream()
                .filter(c -> c.path("name").asText().equals("api")).findFirst().orElseThrow().path("id").asLong();
        Run json = cli("uptime", String.valueOf(apiId), "-o", "json");
        assertEquals(0, json.exit(), json::toString);
        JsonNode report = json.json().get(0);
        assertEquals(apiId, report.path("checkId").asLong(), json::toString);
        assertEquals("24h", report.path("window").asText(), json::toString);
        assertEquals(0.0, report.path("uptimePercent").asDouble(), json::toString);
        assertTrue(report.path("samplesByState").path("CLOSED").asInt() > 0, json::toString);

        Run bad = cli("uptime", String.valueOf(apiId), "--window", "forever");
        assertEquals(3, bad.exit(), bad::toString);
        assertEquals("portwatch: GET " + url + "/api/v1/checks/" + apiId + "/uptime?window=forever: 400 Bad Request:"
                + " window \"forever\" must be hours or days such as 24h, 7d, 30d or 365d (at most 400d)", bad.err().strip());
        assertEquals("", bad.out());

        Run unknown = cli("uptime", "no-such-check");
        assertEquals(3, unknown.exit(), unknown::toString);
        assertTrue(unknown.err().contains("no check is named \"no-such-check\""), unknown::toString);
        Run missing = cli("uptime", "999999");
        assertEquals(3, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("404 Not Found: no check with id 999999"), missing::toString);
    }

    @Test
    @Order(6)
    void aSilenceIsAddedListedAndExpiredWithAnOperatorKey() {
        Map<String, String> env = env(operatorKey);
        env.put("USER", "cli-tester");
        Run added = cli(env, "silence", "add", "--match", "check=api*", "--match", "labels.team=*", "--for", "2h",
                "--comment", "deploying the api", "-o", "json");
        assertEquals(0, added.exit(), added::toString);
        JsonNode silence = added.json();
        long id = silence.path("id").asLong();
        assertEquals("ACTIVE", silence.path("status").asText(), added::toString);
        assertEquals("cli-tester", silence.path("createdBy").asText(), added::toString);
        assertEquals("api*", silence.path("matchers").path("check").asText(), added::toString);
        assertEquals("*", silence.path("matchers").path("labels").path("team").asText(), added::toString);
        Duration length = Duration.between(Instant.parse(silence.path("startsAt").asText()),
                Instant.parse(silence.path("endsAt").asText()));
        assertTrue(length.compareTo(Duration.ofMinutes(119)) > 0 && length.compareTo(Duration.ofMinutes(121)) < 0,
                added::toString);

        Run list = cli(env, "silence", "list");
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().lines().anyMatch(l -> l.matches(" *" + id + " +ACTIVE +check=api\\*,labels\\.team=\\* .* cli-tester +deploying the api")),
                list::toString);

        Run expired = cli(env, "silence", "expire", String.valueOf(id));
        assertEquals(0, expired.exit(), expired::toString);
        assertTrue(expired.out().startsWith("silence " + id + " expired at "), expired::toString);
        assertEquals("0 silences", cli(env, "silence", "list").out().lines().reduce((a, b) -> b).orElse(""));
        JsonNode all = cli(env, "silence", "list", "--status", "expired", "-o", "json").json();
        assertTrue(all.findValues("id").stream().anyMatch(v -> v.asLong() == id), all::toString);
        Run again = cli(env, "silence", "expire", String.valueOf(id));
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().startsWith("silence " + id + " had already expired at "), again::toString);

        Run noSuch = cli(env, "silence", "expire", "987654");
        assertEquals(3, noSuch.exit(), noSuch::toString);
        assertTrue(noSuch.err().contains("404 Not Found: no silence with id 987654"), noSuch::toString);
        Run badMatch = cli(env, "silence", "add", "--match", "color=red", "--comment", "x");
        assertEquals(2, badMatch.exit(), badMatch::toString);
        assertTrue(badMatch.err().contains("unknown key \"color\""), badMatch::toString);
    }

    @Test
    @Order(7)
    void rulesListShowsTheRulesOfTheRulesFile() {
        Run rules = cli("rules", "list");
        assertEquals(0, rules.exit(), rules::toString);
        assertTrue(rules.out().lines().anyMatch(l -> l.matches("api-down +FILE +check=api +after 2 +1 +1 +critical +\\(every notifier\\)")),
                rules::toString);
        Run json = cli("rules", "list", "-o", "json");
        assertEquals(List.of("api-down"), names(json.json()), json::toString);
    }

    /** The agent's own host (it probes loopback): nothing is bound to the closed port its db check expects open. */
    @Test
    @Order(7)
    void findingsShowEachWithItsEvidenceAndExit1() throws InterruptedException {
        DeployStack.awaitTrue("declared-but-not-listening for the closed port", SETTLE, () -> cli("findings", "--kind",
                "declared-but-not-listening", "-o", "json").json().findValues("port").stream()
                .anyMatch(p -> p.asInt() == targets.closedTcp), agent, collector);
        Run table = cli("findings", "--kind", "declared-but-not-listening", "--agent", "cli-agent");
        assertEquals(1, table.exit(), table::toString);
        assertTrue(table.out().lines().anyMatch(l -> l.matches("declared-but-not-listening +cli-agent +tcp +" + targets.closedTcp
                + " +cli-agent: check \"(db|api)\" of 127\\.0\\.0\\.1 tcp/" + targets.closedTcp + " is closed \\(refused\\)")),
                table::toString);
        assertTrue(table.out().contains("cli-agent: nothing bound to tcp port " + targets.closedTcp), table::toString);
        Run none = cli("findings", "--kind", "bound-to-loopback-only", "--agent", "cli-agent");
        assertEquals(0, none.exit(), none::toString);
        assertTrue(none.out().strip().endsWith("0 findings"), none::toString);
    }

    @Test
    @Order(8)
    void withoutAKeyTheRefusalIsTheProblemDetailAndAViewerCannotSilence() throws Exception {
        Map<String, String> noKey = env(null);
        Run refused = cli(noKey, "checks");
        assertEquals(3, refused.exit(), refused::toString);
        assertEquals("portwatch: GET " + url + "/api/v1/checks?limit=1000: 401 Unauthorized: this needs credentials:"
                + " send Authorization: Bearer <API key> (give an API key: PORTWATCH_API_KEY or --api-key)", refused.err().strip());

        Run viewer = cli(env(issueKey("viewer")), "silence", "add", "--match", "check=x", "--comment", "x");
        assertEquals(3, viewer.exit(), viewer::toString);
        assertTrue(viewer.err().contains("403 Forbidden: the caller's role does not allow this"), viewer::toString);

        Run byOption = cli(noKey, "checks", "--api-key", adminKey, "--collector", url, "-o", "json");
        assertEquals(0, byOption.exit(), byOption::toString);
        assertEquals(4, byOption.json().size(), byOption::toString);
    }

    @Test
    @Order(9)
    void anAgentThatStopsIsDownInStatusAndItsChecksAreUnknown() throws Exception {
        agent.stop(Duration.ofSeconds(20));
        DeployStack.awaitTrue("status shows the agent down", SETTLE, () -> cli("status").out().contains("1 down (cli-agent)"),
                collector);
        Run status = cli("status");
        assertEquals(1, status.exit(), status::toString);
        assertTrue(status.out().contains("agents     1: 0 connected, 1 down (cli-agent)"), status::toString);
        assertTrue(status.out().contains("checks     4: 0 healthy, 4 unhealthy or unknown (UNKNOWN 4)"), status::toString);
        assertTrue(status.out().lines().anyMatch(l -> l.matches(" *\\d+ +FIRING +AGENT_DOWN +critical +agent-down +cli-agent .*")),
                status::toString);
        Run json = cli("status", "-o", "json");
        assertEquals(List.of("cli-agent"), json.json().path("agentsDown").findValuesAsText("id"), json::toString);
        assertEquals(4, cli("checks", "--state", "unknown", "-o", "json").json().size());
    }

    @Test
    @Order(10)
    void anUnreachableCollectorIsNamed() throws IOException {
        String nowhere = "http://127.0.0.1:" + DeployStack.freePort();
        Run down = cli(env(operatorKey), "status", "--collector", nowhere);
        assertEquals(4, down.exit(), down::toString);
        assertTrue(down.err().startsWith("portwatch: cannot reach the collector at " + nowhere + ": GET " + nowhere
                + "/api/v1/checks"), down::toString);
        assertEquals("", down.out());

        Run badUrl = cli(env(operatorKey), "status", "--collector", "localhost:8080");
        assertEquals(2, badUrl.exit(), badUrl::toString);
    }

    private static Run cli(String... args) {
        return cli(env(adminKey), args);
    }

    private static Run cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PortwatchCli.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** A check file of one TCP check on 127.0.0.1, probed every second. */
    private static String checkFile(String name, int port) {
        return """
                checks:
                  - name: %s
                    targets: [127.0.0.1]
                    tcp: [%d]
                    interval: 1s
                    timeout: 500ms
                """.formatted(name, port);
    }

    private static Map<String, String> env(String key) {
        Map<String, String> env = new HashMap<>();
        env.put("PORTWATCH_COLLECTOR_URL", url);
        if (key != null) {
            env.put("PORTWATCH_API_KEY", key);
        }
        return env;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private static boolean all(JsonNode array, Predicate<JsonNode> test) {
        return StreamSupport.stream(array.spliterator(), false).allMatch(test);
    }

    private static String issueOperatorKey() throws IOException, InterruptedException {
        return issueKey("operator");
    }

    /** A key of {@code role}, issued through the API with the admin key. */
    private static String issueKey(String role) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/keys"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"cli " + role + "\", \"role\": \"" + role + "\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("secret").asText();
    }

    private static boolean ready() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String secret(String prefix) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
