package io.portwatch.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.portwatch.core.testing.LoopbackTargets;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the deploy tests share: collectors and agents started with the environment that
 * docker-compose.yml gives its services, re-pointed from the compose network to loopback
 * (database host and port, collector host, free HTTP ports), and the waits and reads around them.
 */
final class DeployStack implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("portwatch.root", ".."));

    final Path work;
    final ComposeFile compose;
    final LoopbackTargets.Standard targets;
    final Path checksDir;

    DeployStack(String name) throws IOException {
        DeployTls.install();
        work = Files.createTempDirectory(name);
        compose = ComposeFile.load(ROOT);
        targets = new LoopbackTargets.Standard();
        checksDir = Files.createDirectories(work.resolve("checks.d"));
        Files.writeString(checksDir.resolve("deploy.yaml"), """
                defaults:
                  interval: 1s
                  timeout: 500ms
                checks:
                  - name: web
                    targets: [127.0.0.1]
                    tcp: [%d]
                  - name: api
                    targets: [127.0.0.1]
                    tcp: [%d]
                  - name: echo
                    targets: [127.0.0.1]
                    udp: [%d]
                """.formatted(targets.openTcp, targets.closedTcp, targets.echoUdp));
    }

    /** A PostgreSQL with the database, user and password of the compose file's postgres service. */
    ExternalPostgres startDatabase() throws IOException, java.sql.SQLException {
        Map<String, String> pg = compose.environment("postgres");
        return ExternalPostgres.start(work.resolve("external-postgres"), pg.get("POSTGRES_DB"), pg.get("POSTGRES_USER"),
                pg.get("POSTGRES_PASSWORD"));
    }

    /**
     * The compose collector's variables, with the database at {@code db} instead of postgres:5432,
     * and its TLS files and admin key replaced by this test's ({@link DeployTls}), on {@code httpsPort}.
     */
    Map<String, String> collectorEnv(ExternalPostgres db, int httpsPort) throws IOException {
        Map<String, String> env = new HashMap<>(compose.environment("collector"));
        String url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
        assertTrue(url.equals("jdbc:postgresql://postgres:5432/" + db.database), "compose JDBC URL " + url);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", url.replace("//postgres:5432/", "//127.0.0.1:" + db.port() + "/"));
        assertTrue(db.user.equals(env.get("QUARKUS_DATASOURCE_USERNAME")), "the test database's user is the compose file's");
        assertTrue(db.password.equals(env.get("QUARKUS_DATASOURCE_PASSWORD")), "the test database's password is the compose file's");
        env.put("QUARKUS_MAILER_HOST", "127.0.0.1"); // no alert is sent by these tests; nothing listens there
        env.remove("JAVA_OPTS"); // read by the image's entrypoint, not by the app
        env.putAll(secureCollectorEnv(httpsPort));
        // A trap: an embedded PostgreSQL would create this directory.
        env.put("PORTWATCH_DATA_DIR", embeddedDataDirTrap().toString());
        return env;
    }

    /**
     * The security settings of the compose collector (its ingest token, anonymous read off, TLS),
     * with the TLS files, port and admin key of this test: what any collector of these tests runs with.
     */
    Map<String, String> secureCollectorEnv(int httpsPort) throws IOException {
        Map<String, String> composed = compose.environment("collector");
        for (String required : java.util.List.of("PORTWATCH_TLS_CERT", "PORTWATCH_TLS_KEY", "PORTWATCH_INGEST_TOKEN",
                "PORTWATCH_SECURITY_ADMIN_KEY")) {
            assertTrue(composed.containsKey(required), "docker-compose.yml gives the collector " + required);
        }
        assertTrue("false".equals(composed.get("PORTWATCH_SECURITY_ANONYMOUS_READ")), "compose: anonymous read off by default");
        Map<String, String> env = new HashMap<>();
        env.put("PORTWATCH_INGEST_TOKEN", DeployTls.INGEST_TOKEN);
        env.put("PORTWATCH_SECURITY_ANONYMOUS_READ", "false");
        env.putAll(DeployTls.collectorEnv(httpsPort));
        return env;
    }

    Path embeddedDataDirTrap() {
        return work.resolve("embedded-postgres-must-not-exist");
    }

    /** The compose agent-a's variables, pointed at a collector on loopback and this test's checks. */
    Map<String, String> agentEnv(String agentId, int collectorPort) throws IOException {
        Map<String, String> env = new HashMap<>(compose.environment("agent-a"));
        assertTrue(env.containsKey("PORTWATCH_COLLECTOR_TLS_CA"), "docker-compose.yml gives the agent the collector's CA");
        assertTrue(env.get("PORTWATCH_COLLECTOR_TOKEN").equals(compose.environment("collector").get("PORTWATCH_INGEST_TOKEN")),
                "compose: the agent sends the token the collector requires");
        env.put("PORTWATCH_COLLECTOR_TLS_CA", DeployTls.CA.caPem().toString());
        env.put("PORTWATCH_COLLECTOR_TOKEN", DeployTls.INGEST_TOKEN);
        env.put("PORTWATCH_AGENT_ID", agentId);
        env.put("PORTWATCH_SPOOL_DIR", work.resolve("spool-" + agentId).toString());
        env.put("PORTWATCH_COLLECTOR_HOST", "127.0.0.1");
        env.put("PORTWATCH_COLLECTOR_PORT", String.valueOf(collectorPort));
        env.put("PORTWATCH_CHECKS_DIR", checksDir.toString());
        env.put("PORTWATCH_COLLECTOR_RECONNECT_MAX_BACKOFF", "2s");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(freePort()));
        env.remove("JAVA_OPTS");
        return env;
    }

    AppProcess startCollector(String name, Map<String, String> env) throws IOException {
        return AppProcess.start(name, ROOT.resolve("collector/target/quarkus-app"), env, work.resolve(name + ".log"));
    }

    AppProcess startAgent(String name, Map<String, String> env) throws IOException {
        return AppProcess.start(name, ROOT.resolve("agent/target/quarkus-app"), env, work.resolve(name + ".log"));
    }

    /** key -> "STATE reason healthy" of one agent's checks, as the collector on {@code port} serves them. */
    static Map<String, String> currentStates(int port, String agentId) {
        JsonPath checks = given().port(port).get("/api/v1/checks").then().statusCode(200).extract().jsonPath();
        Map<String, String> states = new HashMap<>();
        List<Map<String, Object>> rows = checks.getList("findAll { it.agentId == '" + agentId + "' && it.state != null }");
        for (Map<String, Object> row : rows) {
            states.put((String) row.get("key"), row.get("state") + " " + row.get("reason") + " " + row.get("healthy"));
        }
        return states;
    }

    Map<String, String> expectedStates() {
        return Map.of(
                "web|127.0.0.1|tcp|" + targets.openTcp, "OPEN connected true",
                "api|127.0.0.1|tcp|" + targets.closedTcp, "CLOSED refused false",
                "echo|127.0.0.1|udp|" + targets.echoUdp, "OPEN reply true");
    }

    /** The leader entry of /q/health/ready and the gauge of /q/metrics; they must agree. */
    static boolean isLeader(int port) {
        Boolean health = given().port(port).get("/q/health/ready").then().extract().jsonPath()
                .get("checks.find { it.name == 'leader' }.data.leader");
        String metrics = given().port(port).get("/q/metrics").then().statusCode(200).extract().asString();
        boolean gauge = metrics.lines().filter(l -> l.startsWith("portwatch_collector_leader"))
                .anyMatch(l -> l.endsWith(" 1.0"));
        if (health == null || health != gauge) {
            throw new AssertionError("health says leader=" + health + ", gauge says " + gauge + " on port " + port);
        }
        return health;
    }

    static boolean ready(int port) {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition, AppProcess... logs)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) return;
            } catch (Exception | AssertionError e) {
                // not there yet (connection refused while starting: rest-assured throws ConnectException undeclared)
            }
            Thread.sleep(200);
        }
        StringBuilder msg = new StringBuilder("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        for (AppProcess p : logs) msg.append("\n\n").append(p.tail());
        fail(msg.toString());
    }

    /** Waits until {@code actual} equals {@code expected}; the failure shows the last value seen. */
    static <T> void awaitEqual(String what, Duration timeout, T expected, java.util.function.Supplier<T> actual,
            AppProcess... logs) throws InterruptedException {
        Object[] last = {null};
        try {
            awaitTrue(what, timeout, () -> expected.equals(last[0] = actual.get()), logs);
        } catch (AssertionError e) {
            throw new AssertionError("expected " + expected + "\nlast seen " + last[0] + "\n" + e.getMessage(), e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Keeps the apps' logs in e2e/target/deploy-logs/ (the work directory goes), for a failed run. */
    @Override
    public void close() throws Exception {
        targets.close();
        Path logs = Files.createDirectories(ROOT.resolve("e2e/target/deploy-logs").resolve(work.getFileName()));
        try (Stream<Path> files = Files.list(work)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, logs.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
