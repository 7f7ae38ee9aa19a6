package io.portwatch.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent check-config DIR}: exit code and exact output. Paths are relative to the agent
 * module, the tests' working directory, and appear in the output as given.
 */
class AgentMainTest {

    private static final String TESTDATA = "src/test/resources/testdata/";

    /** What one invocation returned and printed. */
    record Run(int exit, String out, String err) {}

    @Test
    void examplesAreValid() {
        assertEquals(new Run(0,
                "../examples/checks.d: OK: 1 file, 6 checks, 6 check instances (config 09ed8fdb5348)\n", ""),
                checkConfig("../examples/checks.d"));
    }

    @Test
    void validFixtureSummaryCountsFilesChecksAndInstances() {
        // web.yaml: 3 targets x 5 distinct ports + 1; dns.yml: 1 target (listed twice) x udp+tcp 53 + 1.
        assertEquals(new Run(0,
                TESTDATA + "valid: OK: 2 files, 4 checks, 19 check instances (config 9c26096f2180)\n", ""),
                checkConfig(TESTDATA + "valid"));
    }

    @Test
    void invalidDirectoryPrintsEveryErrorAndTheirCount() {
        String dir = TESTDATA + "invalid-errors-in-several-files";

        assertEquals(new Run(1, "", dir + "/a.yaml:4:11: port 65536 is outside 0-65535\n"
                + dir + "/b.yaml:5:5: unknown key \"retry\" (allowed: name, targets, tcp, udp, expect, interval,"
                + " timeout, labels, family, payload, community, retries, send, expect_banner, tls, tls_min_days)\n"
                + dir + "/c.yml:3:1: invalid YAML: while scanning for the next token, found character '\\t(TAB)'"
                + " that cannot start any token. (Do not use \\t(TAB) for indentation)\n"
                + dir + ": 3 errors\n"),
                checkConfig(dir));
    }

    @Test
    void oneErrorIsCountedInTheSingular() {
        String dir = TESTDATA + "invalid-duplicate-name";

        assertEquals(new Run(1, "", dir + "/b.yaml:5:11: duplicate check name \"web\" (first defined at "
                + dir + "/a.yaml:2:11)\n"
                + dir + ": 1 error\n"),
                checkConfig(dir));
    }

    @Test
    void missingDirectoryOrAFileIsInvalid() {
        assertEquals(new Run(1, "", TESTDATA + "nope:0:0: check directory does not exist\n" + TESTDATA + "nope: 1 error\n"),
                checkConfig(TESTDATA + "nope"));
        String file = TESTDATA + "invalid-empty.yaml";
        assertEquals(new Run(1, "", file + ":0:0: check directory is not a directory\n" + file + ": 1 error\n"),
                checkConfig(file));
    }

    /**
     * 200 closed UDP ports of one host at 30 s need 6.7 port unreachables per second; Linux grants
     * 1/s. Valid (exit 0), with one WARNING line for that host and none for the loopback host (not
     * rate-limited) nor for the host whose 20 checks need 0.67/s.
     */
    @Test
    void udpChecksNeedingMoreIcmpThanTheDefaultGrantAreWarnedAbout(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("udp.yaml"), """
                defaults:
                  interval: 30s
                  expect: closed
                checks:
                  - name: many
                    targets: [198.18.7.2]
                    udp: ["20000-20199"]
                  - name: few
                    targets: [198.18.7.6]
                    udp: ["20000-20019"]
                  - name: local
                    targets: [127.0.0.1]
                    udp: ["20000-20199"]
                """);

        Run run = checkConfig(dir.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertTrue(lines.get(0).startsWith(dir + ": OK: 1 file, 3 checks, 420 check instances"), lines.get(0));
        assertEquals("WARNING: 198.18.7.2: 200 UDP checks every 30s need up to 6.7/s ICMP port unreachables if their"
                + " ports are closed, but the host grants 1.0/s (Linux's default, net.ipv4.icmp_ratelimit=1000 ms);"
                + " lengthen these intervals to at least 3m20s, or raise the target's ICMP budget (lower"
                + " net.ipv4.icmp_ratelimit, or take destination unreachable, type 3, out of net.ipv4.icmp_ratemask);"
                + " otherwise closed ports will be reported UNKNOWN / icmp-rate-limited", lines.get(1));
    }

    @Test
    void wrongArgumentCountIsAUsageError() {
        Run usage = new Run(2, "", "usage: agent check-config DIR\n");

        assertEquals(usage, checkConfig());
        assertEquals(usage, checkConfig(TESTDATA + "valid", TESTDATA + "valid"));
    }

    private static Run checkConfig(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AgentMain.checkConfig(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
