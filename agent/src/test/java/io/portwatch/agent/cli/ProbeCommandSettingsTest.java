package io.portwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.agent.AgentSettings;
import io.portwatch.agent.probe.TestCertificate;
import io.smallrye.config.PropertiesConfigSource;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent probe} reads the agent's settings as the running agent does ({@link CommandSettings}):
 * the configured trust store decides which certificates a TLS probe accepts, and the configured
 * instance limit caps a run. The settings come from an extra config source here, read by the same
 * reader as application.properties and the PORTWATCH_* variables. Sends only to 127.0.0.1.
 */
class ProbeCommandSettingsTest {

    private static final char[] PASSWORD = "trust-me".toCharArray();

    record Run(int exit, String out, String err) {}

    private static Run probe(Map<String, String> properties, String... args) {
        AgentSettings settings = CommandSettings.read(List.of(new PropertiesConfigSource(properties, "test", 500)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ProbeCommand.run(args, settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonObject onlyResult(Run run) {
        var results = Json.createReader(new StringReader(run.out())).readArray();
        assertEquals(1, results.size(), run.out());
        return results.getJsonObject(0);
    }

    @Test
    void theConfiguredTrustStoreDecidesWhichCertificatesTlsProbesAccept(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir);
        Path trustStore = certificate.trustStore(dir.resolve("internal-ca.p12"), PASSWORD);
        try (SSLServerSocket server = (SSLServerSocket) certificate.serverContext().getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            TestServers.serve(server, "test-tls-server", s -> ((SSLSocket) s).startHandshake());
            Path checks = Files.createDirectories(dir.resolve("checks.d"));
            Files.writeString(checks.resolve("tls.yaml"), """
                    checks:
                      - name: internal
                        targets: [127.0.0.1]
                        tcp: [%d]
                        tls: true
                    """.formatted(server.getLocalPort()));

            Run configured = probe(Map.of("portwatch.probe.tls-trust-store", trustStore.toString(),
                    "portwatch.probe.tls-trust-store-password", new String(PASSWORD)),
                    "-f", checks.toString(), "--format", "json");
            Run jvmDefault = probe(Map.of(), "-f", checks.toString(), "--format", "json");

            assertEquals(0, configured.exit(), configured.out() + configured.err());
            JsonObject trusted = onlyResult(configured);
            assertEquals(List.of("OPEN", "true"), List.of(trusted.getString("state"), trusted.get("healthy").toString()),
                    configured.out());
            // Without it, the JVM's default trust store does not know the test's certificate.
            assertEquals(1, jvmDefault.exit(), jvmDefault.out() + jvmDefault.err());
            assertEquals("tls-failed", onlyResult(jvmDefault).getString("reason"), jvmDefault.out());
        }
    }

    @Test
    void aTrustStoreThatCannotBeReadIsAConfigError(@TempDir Path dir) {
        Path missing = dir.resolve("missing.p12");

        Run run = probe(Map.of("portwatch.probe.tls-trust-store", missing.toString()), "--tcp", "1", "127.0.0.1");

        assertEquals(ProbeCommand.USAGE, run.exit(), run.out() + run.err());
        assertTrue(run.err().startsWith("agent probe: portwatch.probe.tls-trust-store " + missing), run.err());
        assertEquals("", run.out());
    }

    @Test
    void theConfiguredInstanceLimitCapsACommandLineRun() {
        Run run = probe(Map.of("portwatch.max-instances-per-check", "2"), "--tcp", "1-3", "127.0.0.1");

        assertEquals(ProbeCommand.USAGE, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("1 hosts x 3 ports = 3 probes, more than the limit of 2"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void theConfiguredInstanceLimitCapsACheckInACheckDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("web.yaml"), """
                checks:
                  - name: web
                    targets: [127.0.0.1]
                    tcp: ["1-3"]
                """);

        Run run = probe(Map.of("portwatch.max-instances-per-check", "2"), "-f", dir.toString());

        assertEquals(ProbeCommand.USAGE, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains("check \"web\" expands to 3 instances (1 targets x 3 ports), more than the limit of 2"
                + " per check"), run.err());
        assertEquals("", run.out());
    }
}
