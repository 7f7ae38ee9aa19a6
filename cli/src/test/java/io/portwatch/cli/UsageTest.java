package io.portwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Command lines refused before a request is sent: exit 2 and the rule. The collector URL names a
 * loopback port kept closed, so a command that did send a request would exit 4, not 2. The
 * commands against a real collector are in e2e's CliIT.
 */
class UsageTest {

    private static String closed;

    @BeforeAll
    static void closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PortwatchCli.run(args, Map.of(PortwatchCli.COLLECTOR_ENV, closed), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void refused(String message, String... args) {
        Run run = run(args);
        assertEquals(Exit.USAGE, run.exit(), run::toString);
        assertTrue(run.err().startsWith("portwatch: " + message), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void eachRuleIsNamed() {
        refused("a command is required: status, checks, uptime, alerts, silence or rules");
        refused("Unmatched argument at index 0: 'stauts'", "stauts");
        refused("Missing required parameter: 'CHECK'", "uptime");
        refused("Missing required options: '--match=KEY=VALUE', '--comment=TEXT'", "silence", "add");
        refused("--match \"color=red\": unknown key \"color\"; expected one of rule, check, target, proto, port, agent or labels.NAME",
                "silence", "add", "--match", "color=red", "--comment", "c");
        refused("--match \"=web\": expected KEY=VALUE", "silence", "add", "--match", "=web", "--comment", "c");
        refused("--for \"2 hours\": expected a number followed by ms, s, m or h (or d), more than zero",
                "silence", "add", "--match", "check=web", "--for", "2 hours", "--comment", "c");
        refused("--for \"0s\"", "silence", "add", "--match", "check=web", "--for", "0s", "--comment", "c");
        refused("Invalid value for positional parameter at index 0 (ID): 'x' is not a long", "silence", "expire", "x");
        refused("Invalid value for option '--output'", "checks", "-o", "yaml");
        refused("--collector / PORTWATCH_COLLECTOR_URL \"localhost:8080\" is not a collector URL", "checks",
                "--collector", "localhost:8080");
    }

    @Test
    void aClosedPortIsUnreachableNotAUsageError() {
        Run run = run("checks");
        assertEquals(Exit.UNREACHABLE, run.exit(), run::toString);
        assertTrue(run.err().startsWith("portwatch: cannot reach the collector at " + closed), run::toString);
    }

    @Test
    void helpAndVersionExit0() {
        assertEquals(0, run("--help").exit());
        assertEquals(0, run("silence", "add", "--help").exit());
        assertTrue(run("--version").out().startsWith("portwatch cli "));
    }
}
