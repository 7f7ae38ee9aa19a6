package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portwatch.agent.probe.AddressFamily;
import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.UdpPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Service names, the probe keys and their defaults: {@code testdata/valid-probes/}. */
class CheckProbeKeysTest {

    private final CheckDirectoryLoader loader = new CheckDirectoryLoader();

    @TempDir
    Path root;

    private CheckConfig loadValid() {
        return TestData.loaded(loader.load(TestData.path("valid-probes")));
    }

    private static CheckInstance instance(CheckConfig config, String key) {
        return config.instances().stream()
                .filter(instance -> instance.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no instance " + key));
    }

    private static List<String> keys(CheckConfig config, String check) {
        return config.instances().stream()
                .filter(instance -> instance.checkName().equals(check))
                .map(CheckInstance::key)
                .toList();
    }

    @Test
    void serviceNamesExpandToTheirPortsOfEachProtocol() {
        assertEquals(List.of(
                "services|web1.example.com|tcp|22",
                "services|web1.example.com|tcp|443",
                "services|web1.example.com|tcp|5432",
                "services|web1.example.com|tcp|8000",
                "services|web1.example.com|tcp|8001",
                "services|web1.example.com|udp|123",
                "services|web1.example.com|udp|161",
                "services|web1.example.com|udp|53"),
                keys(loadValid(), "services"));
    }

    @Test
    void udpPayloadDefaultsByPortAndRetriesAndFamilyFromTheFileDefaults() {
        CheckConfig config = loadValid();

        assertEquals(new ProbeSpec.Udp(new UdpPayload.Dns(), 4), instance(config, "services|web1.example.com|udp|53").probe());
        assertEquals(new ProbeSpec.Udp(new UdpPayload.Ntp(), 4), instance(config, "services|web1.example.com|udp|123").probe());
        assertEquals(new ProbeSpec.Udp(new UdpPayload.Snmp("public"), 4),
                instance(config, "services|web1.example.com|udp|161").probe());
        assertEquals(ProbeSpec.Tcp.CONNECT_ONLY, instance(config, "services|web1.example.com|tcp|22").probe());
        assertEquals(AddressFamily.IPV4, instance(config, "services|web1.example.com|tcp|22").family());
    }

    @Test
    void hexPayloadIsKeptInLowerCase() {
        assertEquals(new ProbeSpec.Udp(new UdpPayload.Hex("deadbeef"), 0), instance(loadValid(), "hex|192.0.2.1|udp|9999").probe());
    }

    @Test
    void communityAppliesToAnExplicitOrDefaultSnmpPayload() {
        CheckConfig config = loadValid();
        ProbeSpec secret = new ProbeSpec.Udp(new UdpPayload.Snmp("s3cret"), 4);

        assertEquals(secret, instance(config, "snmp-secret|192.0.2.1|udp|161").probe());
        assertEquals(secret, instance(config, "snmp-secret|192.0.2.1|udp|1161").probe());
        assertEquals(new ProbeSpec.Udp(new UdpPayload.Snmp("by-port"), 4),
                instance(config, "snmp-by-port|192.0.2.1|udp|161").probe());
    }

    @Test
    void sendEscapesBannerAndTls() {
        CheckConfig config = loadValid();
        ProbeSpec smtp = new ProbeSpec.Tcp("EHLO portwatch\r\n\u0000\\", "^220 ", false);

        assertEquals(smtp, instance(config, "smtp|mail.example.com|tcp|25").probe());
        assertEquals(smtp, instance(config, "smtp|mail.example.com|tcp|465").probe());
        assertEquals(new ProbeSpec.Tcp("QUIT\r\n", null, true), instance(config, "smtps|2001:db8::25|tcp|465").probe());
        assertEquals(AddressFamily.IPV6, instance(config, "smtps|2001:db8::25|tcp|465").family());
        assertEquals(new ProbeSpec.Tcp(null, null, true, 30), instance(config, "https-expiry|www.example.com|tcp|443").probe());
    }

    @Test
    void aCheckWithBothListsTakesKeysOfBothProtocols() {
        CheckConfig config = loadValid();

        assertEquals(new ProbeSpec.Tcp(null, "x", false), instance(config, "mixed|ns1.example.com|tcp|53").probe());
        assertEquals(new ProbeSpec.Udp(new UdpPayload.None(), 4), instance(config, "mixed|ns1.example.com|udp|53").probe());
        assertEquals(AddressFamily.ANY, instance(config, "mixed|192.0.2.53|udp|53").family());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "payload: \"hex:DEADbeef\"    | payload: \"hex:deadbeee\"",
        "retries: 0                 | retries: 1",
        "community: s3cret          | community: other",
        "expect_banner: \"^220 \"     | expect_banner: \"^220\"",
        "send: \"QUIT\\r\\n\"           | send: \"QUIT\\n\"",
        "tls: true                  | tls: false",
        "tls_min_days: 30           | tls_min_days: 31",
        "family: ipv6               | family: any",
        "retries: 4                 | retries: 2",
    })
    void hashChangesWithEveryProbeSetting(String before, String after) throws IOException {
        String text = Files.readString(TestData.path("valid-probes/probes.yaml"));
        assertEquals(1, text.split(java.util.regex.Pattern.quote(before), -1).length - 1, "fixture holds " + before);
        Path dir = Files.createDirectories(root.resolve("changed"));
        Files.writeString(dir.resolve("probes.yaml"), text.replace(before, after));

        assertNotEquals(loadValid().hash(), TestData.loaded(loader.load(dir)).hash());
    }

    @Test
    void instanceLimitIsConfigurable() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.writeString(dir.resolve("sweep.yaml"), """
                checks:
                  - {name: ten, targets: [10.0.0.1, 10.0.0.2], tcp: ["1-5"]}
                  - {name: eleven, targets: [10.0.0.1], tcp: ["1-10"], udp: [dns]}
                """);

        assertEquals(List.of("checks.d/sweep.yaml:3:5: check \"eleven\" expands to 11 instances "
                        + "(1 targets x 11 ports), more than the limit of 10 per check"),
                TestData.errorLines(new CheckDirectoryLoader(10).load(dir), root));
        assertEquals(21, TestData.loaded(new CheckDirectoryLoader(11).load(dir)).instances().size());
        assertThrows(IllegalArgumentException.class, () -> new CheckDirectoryLoader(0));
    }
}
