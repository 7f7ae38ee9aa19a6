package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid directories: {@code testdata/valid/} and variations of it. */
class CheckDirectoryLoaderTest {

    private final CheckDirectoryLoader loader = new CheckDirectoryLoader();

    @TempDir
    Path root;

    private CheckConfig loadValid() {
        return TestData.loaded(loader.load(TestData.path("valid")));
    }

    private static CheckInstance instance(CheckConfig config, String key) {
        return config.instances().stream()
                .filter(instance -> instance.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + key));
    }

    @Test
    void expandsEveryCheckIntoInstancesSortedByKey() {
        CheckConfig config = loadValid();

        assertEquals(List.of(
                "admin|2001:db8::10|tcp|8443",
                "no-telnet|web1.example.com|tcp|23",
                "resolvers|ns1.example.com|tcp|53",
                "resolvers|ns1.example.com|udp|53",
                "web-frontends|127.0.0.1|tcp|443",
                "web-frontends|127.0.0.1|tcp|80",
                "web-frontends|127.0.0.1|tcp|8000",
                "web-frontends|127.0.0.1|tcp|8001",
                "web-frontends|127.0.0.1|tcp|8002",
                "web-frontends|::1|tcp|443",
                "web-frontends|::1|tcp|80",
                "web-frontends|::1|tcp|8000",
                "web-frontends|::1|tcp|8001",
                "web-frontends|::1|tcp|8002",
                "web-frontends|web1.example.com|tcp|443",
                "web-frontends|web1.example.com|tcp|80",
                "web-frontends|web1.example.com|tcp|8000",
                "web-frontends|web1.example.com|tcp|8001",
                "web-frontends|web1.example.com|tcp|8002"),
                config.instances().stream().map(CheckInstance::key).toList());
        assertEquals(2, config.files());
        assertEquals(4, config.checks());
    }

    @Test
    void fileDefaultsApplyWhereTheCheckIsSilent() {
        assertEquals(
                new CheckInstance("web-frontends", "::1", Protocol.TCP, 8001, Expectation.OPEN,
                        Duration.ofSeconds(10), Duration.ofSeconds(1), Map.of("team", "web", "env", "prod")),
                instance(loadValid(), "web-frontends|::1|tcp|8001"));
    }

    @Test
    void checkOverridesDefaultsAndMergesLabelsOverThem() {
        assertEquals(
                new CheckInstance("admin", "2001:db8::10", Protocol.TCP, 8443, Expectation.CLOSED,
                        Duration.ofMinutes(1), Duration.ofSeconds(5),
                        Map.of("team", "web", "env", "staging", "tier", "admin")),
                instance(loadValid(), "admin|2001:db8::10|tcp|8443"));
    }

    @Test
    void builtInDefaultsApplyWithoutADefaultsBlock() {
        CheckConfig config = loadValid();

        assertEquals(
                new CheckInstance("resolvers", "ns1.example.com", Protocol.UDP, 53, Expectation.OPEN,
                        Duration.ofSeconds(30), Duration.ofSeconds(2), Map.of()),
                instance(config, "resolvers|ns1.example.com|udp|53"));
        assertEquals(Duration.ofMinutes(90), instance(config, "no-telnet|web1.example.com|tcp|23").interval());
    }

    @Test
    void defaultsExpectAppliesUnlessTheCheckSaysOtherwise() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.writeString(dir.resolve("exposure.yaml"), """
                defaults: {expect: closed}
                checks:
                  - {name: no-telnet, targets: [web1.example.com], tcp: [23]}
                  - {name: ssh, targets: [web1.example.com], tcp: [22], expect: open}
                """);

        CheckConfig config = TestData.loaded(loader.load(dir));

        assertEquals(Expectation.CLOSED, instance(config, "no-telnet|web1.example.com|tcp|23").expect());
        assertEquals(Expectation.OPEN, instance(config, "ssh|web1.example.com|tcp|22").expect());
    }

    @Test
    void hashIsSha256Hex() {
        assertTrue(loadValid().hash().matches("[0-9a-f]{64}"), loadValid().hash());
    }

    @Test
    void hashDoesNotDependOnFileNamesOrOrder() throws IOException {
        Path dir = Files.createDirectories(root.resolve("renamed"));
        // Swapped order: the web checks now come first.
        Files.copy(TestData.path("valid/web.yaml"), dir.resolve("a-web.yaml"));
        Files.copy(TestData.path("valid/dns.yml"), dir.resolve("z-dns.yaml"));

        assertEquals(loadValid().hash(), TestData.loaded(loader.load(dir)).hash());
    }

    @Test
    void hashDependsOnInstancesNotOnHowTheFilesWriteThem() throws IOException {
        Path dir = Files.createDirectories(root.resolve("one-file"));
        Files.writeString(dir.resolve("all.yaml"), """
                checks:
                  - name: no-telnet
                    expect: closed
                    interval: 90m
                    targets: [web1.example.com]
                    tcp: [23]
                  - name: admin
                    targets: ["2001:db8::10"]
                    tcp: [8443]
                    interval: 60s
                    timeout: 5000ms
                    labels: {tier: admin, env: staging, team: web}
                    expect: closed
                  - name: resolvers
                    targets: [ns1.example.com]
                    tcp: [53]
                    udp: [53]
                  - name: web-frontends
                    targets: ["::1", web1.example.com, 127.0.0.1]
                    tcp: ["8000-8002", 443, 80]
                    interval: 10s
                    timeout: 1s
                    labels: {env: prod, team: web}
                """);

        assertEquals(loadValid().hash(), TestData.loaded(loader.load(dir)).hash());
    }

    @Test
    void hashChangesWhenAPortChanges() throws IOException {
        Path dir = Files.createDirectories(root.resolve("changed"));
        Files.copy(TestData.path("valid/dns.yml"), dir.resolve("dns.yml"));
        Files.writeString(dir.resolve("web.yaml"),
                Files.readString(TestData.path("valid/web.yaml")).replace("8443", "8444"));

        assertNotEquals(loadValid().hash(), TestData.loaded(loader.load(dir)).hash());
    }

    @Test
    void emptyDirectoryIsValidWithNoInstances() throws IOException {
        CheckConfig config = TestData.loaded(loader.load(Files.createDirectories(root.resolve("checks.d"))));

        assertEquals(List.of(), config.instances());
        assertEquals(0, config.files());
        assertEquals(0, config.checks());
    }

    @Test
    void emptyListOfChecksIsValid() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.writeString(dir.resolve("none.yaml"), "defaults:\n  interval: 1m\nchecks: []\n");

        CheckConfig config = TestData.loaded(loader.load(dir));

        assertEquals(List.of(), config.instances());
        assertEquals(1, config.files());
    }

    @Test
    void hiddenAndNonYamlFilesAreNotRead() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.copy(TestData.path("valid/web.yaml"), dir.resolve("web.yaml"));
        Files.writeString(dir.resolve(".web.yaml"), "not: [valid");
        Files.writeString(dir.resolve("web.yaml.bak"), "not: [valid");

        assertEquals(1, TestData.loaded(loader.load(dir)).files());
    }
}
