package io.portwatch.collector.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portwatch.collector.alert.AlertCondition.Trigger;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.RuleReader;
import io.portwatch.collector.alert.rule.RulesFile;
import io.portwatch.collector.alert.rule.Severity;
import io.portwatch.core.yaml.YamlError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules file: every error of a file, each at its place, with the exact text. */
class RulesFileTest {

    private static final Path TESTDATA = Path.of("src/test/resources/testdata/alert-rules");

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("invalid-values.yaml", List.of(
                        "invalid-values.yaml:3:12: after: expected an integer of at least 1, not \"0\"",
                        "invalid-values.yaml:4:15: severity: expected one of critical, warning, info, not \"urgent\"",
                        "invalid-values.yaml:5:5: duplicate rule name \"web\" (first at invalid-values.yaml:2:5)",
                        "invalid-values.yaml:7:13: match.port: expected a port 0-65535 or a range such as 8000-8010,"
                                + " not \"70000\"",
                        "invalid-values.yaml:8:14: match.proto: expected tcp or udp, not \"sctp\"")),
                Arguments.of("invalid-trigger.yaml", List.of(
                        "invalid-trigger.yaml:4:5: for: give either \"after\" or \"for\", not both",
                        "invalid-trigger.yaml:6:10: for: expected a duration such as 30s, 2m or 1h30m, not \"soon\"",
                        "invalid-trigger.yaml:7:5: missing required key \"name\"")),
                Arguments.of("invalid-top.yaml", List.of(
                        "invalid-top.yaml:1:1: unknown key \"rule\" (allowed: rules)",
                        "invalid-top.yaml:1:1: missing required key \"rules\"")),
                Arguments.of("invalid-keys.yaml", List.of(
                        "invalid-keys.yaml:3:25: match: duplicate key \"check\" (first at invalid-keys.yaml:3:13)",
                        "invalid-keys.yaml:4:15: channels: expected a list of notifier names",
                        "invalid-keys.yaml:5:5: unknown key \"labels\" (allowed: name, match, after, for,"
                                + " recover_after, quorum, severity, channels)")),
                Arguments.of("invalid-yaml.yaml", List.of(
                        "invalid-yaml.yaml:4:1: invalid YAML: while parsing a flow sequence, expected ',' or ']',"
                                + " but got <stream end>")),
                Arguments.of("invalid-empty.yaml", List.of(
                        "invalid-empty.yaml:1:1: missing required key \"rules\"")));
    }

    @ParameterizedTest
    @MethodSource("invalidFiles")
    void everyErrorOfAFileIsReportedAtItsPlace(String file, List<String> expected) throws IOException {
        RuleReader.Parsed<List<AlertRule>> parsed = RuleReader.file(file, Files.readString(TESTDATA.resolve(file)));
        assertEquals(expected, parsed.errors().stream().map(YamlError::toString).toList());
    }

    @Test
    void aBrokenRulesFileFailsTheStartListingItsErrors() {
        Path file = TESTDATA.resolve("invalid-trigger.yaml");
        RulesFile.InvalidRulesFile e = assertThrows(RulesFile.InvalidRulesFile.class, () -> RulesFile.load(file));
        assertEquals("alert rules file " + file + " has 3 errors:\n"
                + file + ":4:5: for: give either \"after\" or \"for\", not both\n"
                + file + ":6:10: for: expected a duration such as 30s, 2m or 1h30m, not \"soon\"\n"
                + file + ":7:5: missing required key \"name\"", e.getMessage());
    }

    @Test
    void noRulesFileMeansTheDefaultRuleOnly() {
        assertEquals(List.of(AlertRule.DEFAULT), RulesFile.load(TESTDATA.resolve("absent.yaml")));
    }

    @Test
    void theExampleOfTheDocsParses() {
        List<AlertRule> rules = RulesFile.load(Path.of("../examples/alert-rules.yaml"));
        assertEquals(List.of("default", "web-frontends-down", "exposure"), rules.stream().map(AlertRule::name).toList());
        AlertRule web = rules.get(1);
        assertEquals(new Trigger.For(Duration.ofMinutes(1)), web.condition().trigger());
        assertEquals(2, web.condition().quorum());
        assertEquals(2, web.condition().recoverAfter());
        assertEquals(Severity.CRITICAL, web.severity());
        assertEquals(List.of("ops-webhook", "slack"), web.channels());
        Map<String, String> frontend = Map.of("check", "web-frontends", "target", "web1", "proto", "tcp",
                "port", "443", "agent", "eu1", "team", "web");
        assertEquals(true, web.match().matches(frontend));
        assertEquals(false, web.match().matches(Map.of("check", "web-frontends", "target", "web1", "proto", "tcp",
                "port", "443", "agent", "eu1", "team", "db")));
        assertEquals(false, web.match().matches(Map.of("check", "api", "target", "web1", "proto", "tcp",
                "port", "443", "agent", "eu1", "team", "web")));
    }
}
