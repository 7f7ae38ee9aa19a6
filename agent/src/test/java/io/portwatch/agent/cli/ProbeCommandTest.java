package io.portwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent probe} end to end against the demo's loopback targets, opened here at ports the
 * kernel picks: a listening TCP port, a TCP port bound but not listening (refuses), a UDP echo
 * responder, a freed UDP port (port unreachable) and a silent UDP socket. Sends only to 127.0.0.1
 * (and, in one test, to 127.0.0.2 at a port held on 127.0.0.1: refused).
 */
class ProbeCommandTest {

    private static final String LATENCY = "\\d+\\.\\d{3}";

    private static DemoTargets targets;

    @BeforeAll
    static void openTargets() throws IOException {
        targets = DemoTargets.open(0);
    }

    @AfterAll
    static void closeTargets() {
        targets.close();
    }

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run probe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ProbeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertLine(String regex, String line) {
        assertTrue(Pattern.matches(regex, line), () -> "expected /" + regex + "/ but got: " + line);
    }

    private static String tsv(String host, String proto, int port, String state, String reason) {
        return Pattern.quote(String.join("\t", host, proto, Integer.toString(port), state, reason)) + "\t" + LATENCY
                + "\t" + Pattern.quote("127.0.0.1");
    }

    @Test
    void openPortsAreHealthyExitZeroTsv() {
        Run run = probe("--tcp", "" + targets.tcpOpen(), "--udp", "" + targets.udpEcho(), "--format", "tsv", "127.0.0.1");

        assertEquals(0, run.exit(), run.err());
        assertEquals(3, run.lines().size(), run.out());
        assertEquals("host\tproto\tport\tstate\treason\tlatency_ms\taddress", run.lines().get(0));
        assertLine(tsv("127.0.0.1", "tcp", targets.tcpOpen(), "OPEN", "connected"), run.lines().get(1));
        assertLine(tsv("127.0.0.1", "udp", targets.udpEcho(), "OPEN", "reply"), run.lines().get(2));
        assertEquals("", run.err());
    }

    @Test
    void closedPortsAreUnhealthyExitOneSortedByProtoThenPort() {
        int low = Math.min(targets.tcpOpen(), targets.tcpClosed());
        int high = Math.max(targets.tcpOpen(), targets.tcpClosed());
        Run run = probe("--format=tsv", "--udp", "" + targets.udpClosed(), "127.0.0.1", "--tcp", high + "," + low);

        assertEquals(1, run.exit(), run.out() + run.err());
        assertEquals(4, run.lines().size(), run.out());
        assertLine(tsv("127.0.0.1", "tcp", low, low == targets.tcpOpen() ? "OPEN" : "CLOSED",
                low == targets.tcpOpen() ? "connected" : "refused"), run.lines().get(1));
        assertLine(tsv("127.0.0.1", "tcp", high, high == targets.tcpOpen() ? "OPEN" : "CLOSED",
                high == targets.tcpOpen() ? "connected" : "refused"), run.lines().get(2));
        assertLine(tsv("127.0.0.1", "udp", targets.udpClosed(), "CLOSED", "port-unreachable"), run.lines().get(3));
    }

    @Test
    void expectClosedMakesClosedPortsHealthy() {
        Run run = probe("--expect", "closed", "--tcp", "" + targets.tcpClosed(), "--udp", "" + targets.udpClosed(),
                "--format", "tsv", "127.0.0.1");

        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals(3, run.lines().size(), run.out());
    }

    @Test
    void silentUdpIsOpenFilteredNotOpen() {
        Run run = probe("--udp", "" + targets.udpSilent(), "--timeout", "300ms", "--format", "tsv", "127.0.0.1");

        assertEquals(1, run.exit(), run.out() + run.err());
        assertLine(tsv("127.0.0.1", "udp", targets.udpSilent(), "OPEN_FILTERED", "no-reply"), run.lines().get(1));
    }

    @Test
    void jsonIsAnArrayOfObjects() {
        Run run = probe("--format", "json", "--tcp", targets.tcpOpen() + "," + targets.tcpClosed(), "127.0.0.1");

        assertEquals(1, run.exit(), run.err());
        JsonArray array = Json.createReader(new StringReader(run.out())).readArray();
        assertEquals(2, array.size());
        for (JsonValue value : array) {
            JsonObject o = value.asJsonObject();
            boolean open = o.getInt("port") == targets.tcpOpen();
            assertEquals("127.0.0.1", o.getString("host"));
            assertEquals("cli", o.getString("check"));
            assertEquals("tcp", o.getString("proto"));
            assertEquals(open ? "OPEN" : "CLOSED", o.getString("state"));
            assertEquals(open ? "connected" : "refused", o.getString("reason"));
            assertTrue(o.getJsonNumber("latency_ms").doubleValue() >= 0);
            assertEquals("127.0.0.1", o.getString("address"));
            assertEquals("open", o.getString("expect"));
            assertEquals(open, o.getBoolean("healthy"));
        }
    }

    @Test
    void tableHasAHeaderAlignedRowsAndACount() {
        Run run = probe("--tcp", targets.tcpOpen() + "," + targets.tcpClosed(), "127.0.0.1");

        assertEquals(1, run.exit(), run.err());
        List<String> lines = run.lines();
        assertEquals(4, lines.size(), run.out());
        assertLine("HOST\\s+CHECK\\s+PROTO\\s+PORT\\s+STATE\\s+REASON\\s+LATENCY_MS\\s+ADDRESS\\s+HEALTHY", lines.get(0));
        assertLine("127\\.0\\.0\\.1\\s+cli\\s+tcp\\s+\\d+\\s+(OPEN|CLOSED)\\s+(connected|refused)\\s+" + LATENCY
                + "\\s+127\\.0\\.0\\.1\\s+(yes|NO)", lines.get(1));
        int stateColumn = lines.get(0).indexOf("STATE");
        assertTrue(lines.get(1).substring(stateColumn).matches("(OPEN|CLOSED) .*"), lines.get(1));
        assertTrue(lines.get(2).substring(stateColumn).matches("(OPEN|CLOSED) .*"), lines.get(2));
        assertEquals("2 results, 1 unhealthy", lines.get(3));
    }

    @Test
    void checkDirectoryRunsOnceAndHostsFilterItsTargets(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("loopback.yaml"), """
                defaults:
                  timeout: 1s
                checks:
                  - name: web
                    targets: [127.0.0.1, 127.0.0.2]
                    tcp: [%d]
                  - name: no-exposure
                    targets: [127.0.0.1]
                    tcp: [%d]
                    expect: closed
                """.formatted(targets.tcpOpen(), targets.tcpClosed()));

        Run filtered = probe("-f", dir.toString(), "--format", "json", "127.0.0.1");
        assertEquals(0, filtered.exit(), filtered.out() + filtered.err());
        JsonArray results = Json.createReader(new StringReader(filtered.out())).readArray();
        assertEquals(2, results.size());
        assertTrue(results.stream().allMatch(v -> v.asJsonObject().getString("host").equals("127.0.0.1")));
        assertTrue(results.stream().anyMatch(v -> v.asJsonObject().getString("check").equals("no-exposure")
                && v.asJsonObject().getString("state").equals("CLOSED") && v.asJsonObject().getBoolean("healthy")));

        Run all = probe("--file", dir.toString(), "--format", "tsv");
        assertEquals(1, all.exit(), all.out() + all.err()); // nothing listens on 127.0.0.2
        assertEquals(4, all.lines().size(), all.out());
        assertLine(Pattern.quote("127.0.0.2\ttcp\t" + targets.tcpOpen() + "\tCLOSED\trefused\t") + LATENCY
                + Pattern.quote("\t127.0.0.2"), all.lines().get(3));

        Run unknownHost = probe("-f", dir.toString(), "127.0.0.9");
        assertEquals(2, unknownHost.exit());
        assertEquals("", unknownHost.out());
        assertTrue(unknownHost.err().contains("not a target of any check in " + dir + ": 127.0.0.9"), unknownHost.err());
    }

    /**
     * Health follows what the check declared: a wrong banner and TLS against a plain server leave
     * the port OPEN but the run unhealthy (exit 1). One server answers both: it writes an SSH
     * banner to each connection, which is neither "220 " nor a TLS ServerHello.
     */
    @Test
    void bannerMismatchAndFailedTlsAreOpenButUnhealthyExitOne(@TempDir Path dir) throws Exception {
        try (ServerSocket ssh = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            TestServers.serve(ssh, "test-ssh-banner",
                    s -> s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)));
            Files.writeString(dir.resolve("declared.yaml"), """
                    defaults:
                      timeout: 1s
                    checks:
                      - name: smtp
                        targets: [127.0.0.1]
                        tcp: [%1$d]
                        expect_banner: "^220 "
                      - name: tls
                        targets: [127.0.0.1]
                        tcp: [%1$d]
                        tls: true
                    """.formatted(ssh.getLocalPort()));

            Run run = probe("-f", dir.toString(), "--format", "json");

            assertEquals(1, run.exit(), run.out() + run.err());
            JsonArray results = Json.createReader(new StringReader(run.out())).readArray();
            assertEquals(2, results.size(), run.out());
            JsonObject smtp = results.getJsonObject(0);
            JsonObject tls = results.getJsonObject(1);
            assertEquals(List.of("smtp", "OPEN", "banner-mismatch", "false"), List.of(smtp.getString("check"),
                    smtp.getString("state"), smtp.getString("reason"), smtp.get("healthy").toString()), run.out());
            assertEquals(List.of("tls", "OPEN", "tls-failed", "false"), List.of(tls.getString("check"),
                    tls.getString("state"), tls.getString("reason"), tls.get("healthy").toString()), run.out());
        }
    }

    @Test
    void invalidCheckDirectoryIsAConfigErrorWithItsPlace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                checks:
                  - name: web
                    targets: [127.0.0.1]
                    tcp: [70000]
                """);

        Run run = probe("-f", dir.toString(), "--format", "tsv");

        assertEquals(2, run.exit());
        assertEquals("", run.out());
        assertEquals(dir.resolve("bad.yaml") + ":4:11: port 70000 is outside 0-65535\n" + dir + ": 1 error\n", run.err());
    }

    @Test
    void usageErrorsExitTwoNamingTheProblemAndProbeNothing() {
        assertUsage("--tcp 70000: port 70000 is outside 0-65535", "--tcp", "70000", "127.0.0.1");
        assertUsage("--udp 90-80: range 90-80 is empty (start > end)", "--udp", "90-80", "127.0.0.1");
        assertUsage("--tcp: list of ports is empty", "--tcp", "", "127.0.0.1");
        assertUsage("unknown option \"--bogus\"", "--bogus", "--tcp", "22", "127.0.0.1");
        assertUsage("unknown option \"--bogus=1\"", "--bogus=1", "--tcp", "22", "127.0.0.1");
        assertUsage("unknown option \"-x\"", "-x", "--tcp", "22", "127.0.0.1");
        assertUsage("no HOST given", "--tcp", "22");
        assertUsage("no ports given: use --tcp LIST and/or --udp LIST, or -f DIR", "127.0.0.1");
        assertUsage("--tcp needs a value", "127.0.0.1", "--tcp");
        assertUsage("--format: unknown format \"xml\" (allowed: table, json, tsv)", "--format", "xml", "--tcp", "22", "127.0.0.1");
        assertUsage("--expect: expected open or closed, not \"up\"", "--expect", "up", "--tcp", "22", "127.0.0.1");
        assertUsage("--timeout: invalid duration \"30\": expected a number followed by ms, s, m or h",
                "--timeout", "30", "--tcp", "22", "127.0.0.1");
        assertUsage("--timeout: timeout 0s is not greater than 0", "--timeout", "0s", "--tcp", "22", "127.0.0.1");
        assertUsage("HOST: invalid target \"bad host\": expected a host name or IP address", "--tcp", "22", "bad host");
        assertUsage("--tcp/--udp, --expect cannot be combined with -f (the check files set ports, timeouts and expectations)",
                "-f", "checks.d", "--tcp", "22", "--expect", "closed");
        assertUsage("2 hosts x 1025 ports = 2050 probes, more than the limit of 1024",
                "--tcp", "1-1025", "127.0.0.1", "127.0.0.2");
    }

    private static void assertUsage(String message, String... args) {
        Run run = probe(args);
        assertEquals(2, run.exit(), String.join(" ", args));
        assertEquals("", run.out());
        assertEquals("agent probe: " + message + "\n(agent probe --help for usage)\n", run.err());
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        Run run = probe("--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("usage: agent probe "), run.out());
        assertTrue(run.out().contains("--format FORMAT"), run.out());
    }
}
