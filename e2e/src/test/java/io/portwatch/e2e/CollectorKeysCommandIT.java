package io.portwatch.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code collector keys create} as a user runs it: a second JVM beside a running collector, on the
 * embedded PostgreSQL that collector holds. The key it prints works over HTTP at once, and the
 * collector stays ready and the leader.
 */
class CollectorKeysCommandIT {

    private static final Path ROOT = Path.of(System.getProperty("portwatch.root", ".."));
    private static Path work;
    private static int port;
    private static AppProcess collector;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("portwatch-e2e-keys");
        port = freePort();
        Map<String, String> env = new java.util.HashMap<>(DeployTls.collectorEnv(port));
        env.put("PORTWATCH_DATA_DIR", work.resolve("postgres").toString());
        collector = AppProcess.start("collector", ROOT.resolve("collector/target/quarkus-app"), env, work.resolve("collector.log"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!ready() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertTrue(ready(), "collector ready:\n" + collector.tail());
    }

    @AfterAll
    static void stop() throws Exception {
        if (collector != null) {
            collector.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void aKeyCreatedBesideARunningCollectorWorksAtOnce() throws Exception {
        Run created = keys("create", "--role", "operator", "--name", "e2e operator");
        assertEquals(0, created.exit(), created.err());
        List<String> lines = created.out().lines().toList();
        assertEquals(3, lines.size(), "stdout holds the command's output only:\n" + created.out());
        String secret = lines.get(1);
        assertTrue(secret.startsWith("pwk_"), secret);
        assertTrue(lines.get(2).startsWith("This secret is shown once"), lines.get(2));
        assertTrue(created.err().contains("using the embedded PostgreSQL of the running collector"), created.err());

        given().port(port).auth().oauth2(secret).get("/api/v1/checks").then().statusCode(200);
        given().port(port).auth().oauth2(secret).get("/api/v1/keys").then().statusCode(403);
        given().port(port).auth().none().get("/api/v1/checks").then().statusCode(401);

        Run list = keys("list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("e2e operator") && !list.out().contains(secret), list.out());

        assertTrue(ready(), "the collector is still ready");
        String metrics = given().port(port).get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("portwatch_collector_leader 1.0"), "the collector is still the leader");
    }

    private static Run keys(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-jar",
                ROOT.resolve("collector/target/quarkus-app/quarkus-run.jar").toString(), "keys"));
        command.addAll(List.of(args));
        Path out = work.resolve("keys.out");
        Path err = work.resolve("keys.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().put("PORTWATCH_DATA_DIR", work.resolve("postgres").toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("keys " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean ready() {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
