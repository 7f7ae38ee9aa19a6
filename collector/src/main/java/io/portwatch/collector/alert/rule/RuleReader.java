package io.portwatch.collector.alert.rule;

import io.portwatch.collector.alert.AlertCondition;
import io.portwatch.collector.alert.AlertCondition.Trigger;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.input.TextRule;
import io.portwatch.core.DurationParser;
import io.portwatch.core.yaml.YamlError;
import io.portwatch.core.yaml.YamlReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads rules from YAML (the rules file) or JSON (an API request body): one reader, one set of
 * error messages, each naming the field ({@code match.port: expected ...}) at its place.
 */
public final class RuleReader {

    /** Rule and notifier names: they appear in URLs and notification labels. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    /** Names of alerts the engine raises by itself, not by a rule. */
    public static final List<String> RESERVED_NAMES = List.of("agent-down");

    private static final List<String> FILE_KEYS = List.of("rules");
    private static final List<String> RULE_KEYS =
            List.of("name", "match", "after", "for", "recover_after", "quorum", "severity", "channels");
    static final List<String> MATCH_KEYS = List.of("check", "target", "proto", "port", "agent", "labels");
    public static final List<String> SILENCE_MATCH_KEYS = List.of("rule", "check", "target", "proto", "port", "agent", "labels");

    /** What a read produced; {@code value} is meaningful only when {@code errors} is empty. */
    public record Parsed<T>(T value, List<YamlError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private final YamlReader tree;
    /** The name of the rule read last, when it had a valid one. */
    private String lastName;

    public RuleReader(YamlReader tree) {
        this.tree = tree;
    }

    /**
     * A reader of one rules or silence document: every string it gives meets the charset and length
     * rule of documents, since a JSON escape such as {@code \u0000} would otherwise carry a NUL to
     * PostgreSQL.
     */
    public static YamlReader yaml(String file) {
        return new YamlReader(file, text -> TextRule.violation(text, InputLimits.DOCUMENT_TEXT_LENGTH, true));
    }

    /** A rules file: {@code rules:} followed by a list of rules with distinct names. */
    public static Parsed<List<AlertRule>> file(String file, String text) {
        YamlReader tree = yaml(file);
        RuleReader reader = new RuleReader(tree);
        List<AlertRule> rules = new ArrayList<>();
        Node root = tree.compose(text, "missing required key \"rules\"");
        YamlReader.Entries top = root == null ? null : tree.mapping(root, "", FILE_KEYS);
        if (top != null && !top.has("rules")) {
            tree.error(root, "missing required key \"rules\"");
        } else if (top != null) {
            List<Node> items = tree.list(top.get("rules"), "rules", "a list of rules");
            Map<String, Node> firstByName = new LinkedHashMap<>();
            for (Node item : items == null ? List.<Node>of() : items) {
                AlertRule rule = reader.rule(item, RuleSource.FILE);
                // Names count even for rules with errors, so one run reports a duplicate too.
                Node first = reader.lastName == null ? null : firstByName.putIfAbsent(reader.lastName, item);
                if (first != null) {
                    tree.error(item, "duplicate rule name \"" + reader.lastName + "\" (first at " + tree.location(first) + ")");
                } else if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        List<YamlError> errors = new ArrayList<>(tree.errors());
        errors.sort(java.util.Comparator.comparingInt(YamlError::line).thenComparingInt(YamlError::column));
        return new Parsed<>(List.copyOf(rules), List.copyOf(errors));
    }

    /**
     * One rule document, as the API receives it; each error's message starts with the rule
     * ({@code rule "web": after: ...}), as an API error has no file to point into.
     */
    public static Parsed<AlertRule> one(String text) {
        YamlReader tree = yaml("request body");
        Node root = tree.compose(text, "the request body is empty: expected a rule");
        RuleReader reader = new RuleReader(tree);
        AlertRule rule = root == null ? null : reader.rule(root, RuleSource.API);
        String prefix = reader.lastName == null ? "rule: " : "rule \"" + reader.lastName + "\": ";
        List<YamlError> errors = tree.errors().stream()
                .map(e -> new YamlError(e.file(), e.line(), e.column(), prefix + e.message())).toList();
        return new Parsed<>(rule, errors);
    }

    /** One rule, or null when it has errors (all reported). */
    AlertRule rule(Node node, RuleSource source) {
        int before = tree.errorCount();
        YamlReader.Entries e = tree.mapping(node, "", RULE_KEYS);
        if (e == null) {
            return null;
        }
        String name = null;
        lastName = null;
        if (!e.has("name")) {
            tree.error(node, "missing required key \"name\"");
        } else {
            name = name(e.get("name"), "name");
            lastName = name;
            if (name != null && RESERVED_NAMES.contains(name)) {
                tree.error(e.get("name"), "name: \"" + name + "\" is reserved for the alerts the engine raises itself");
            }
        }
        Matchers match = e.has("match") ? matchers(e.get("match"), "match", MATCH_KEYS) : Matchers.ANY;
        Trigger trigger = trigger(node, e);
        int recoverAfter = e.has("recover_after") ? orOne(tree.integer(e.get("recover_after"), "recover_after", 1)) : 1;
        int quorum = e.has("quorum") ? orOne(tree.integer(e.get("quorum"), "quorum", 1)) : 1;
        Severity severity = e.has("severity") ? severity(e.get("severity")) : Severity.WARNING;
        List<String> channels = e.has("channels") ? channels(e.get("channels")) : List.of();
        if (tree.errorCount() > before) {
            return null;
        }
        return new AlertRule(name, match, new AlertCondition(trigger, recoverAfter, quorum,
                AlertCondition.Flapping.DEFAULT), severity, channels, source);
    }

    private Trigger trigger(Node node, YamlReader.Entries e) {
        if (e.has("after") && e.has("for")) {
            tree.error(e.keys().get("for"), "for: give either \"after\" or \"for\", not both");
            return null;
        }
        if (e.has("for")) {
            String text = tree.text(e.get("for"), "for", "a duration such as 30s, 2m or 1h30m");
            if (text == null) {
                return null;
            }
            // Whole milliseconds, as DurationParser.format shows the rule back: 1.5s is 1s500ms.
            long millis = DurationParser.parse(text.trim()).map(Duration::toMillis).orElse(0L);
            if (millis == 0) {
                tree.error(e.get("for"), "for: expected a duration such as 30s, 2m or 1h30m, not \"" + text + "\"");
                return null;
            }
            return new Trigger.For(Duration.ofMillis(millis));
        }
        int after = e.has("after") ? orOne(tree.integer(e.get("after"), "after", 1)) : 3;
        return new Trigger.After(after);
    }

    /** Matchers of a rule ({@code match}) or a silence ({@code matchers}, which may also name a rule). */
    public Matchers matchers(Node node, String field, List<String> allowed) {
        YamlReader.Entries e = tree.mapping(node, field, allowed);
        if (e == null) {
            return null;
        }
        ValuePattern rule = pattern(e, "rule", field);
        ValuePattern check = pattern(e, "check", field);
        ValuePattern target = pattern(e, "target", field);
        ValuePattern agent = pattern(e, "agent", field);
        String proto = null;
        if (e.has("proto")) {
            String t = tree.text(e.get("proto"), field + ".proto", "tcp or udp");
            if (t != null) {
                proto = t.trim().toLowerCase(Locale.ROOT);
                if (!proto.equals("tcp") && !proto.equals("udp")) {
                    tree.error(e.get("proto"), field + ".proto: expected tcp or udp, not \"" + t + "\"");
                }
            }
        }
        PortRange port = e.has("port") ? port(e.get("port"), field + ".port") : null;
        Map<String, ValuePattern> labels = new LinkedHashMap<>();
        if (e.has("labels")) {
            YamlReader.Entries l = tree.mapping(e.get("labels"), field + ".labels", null);
            if (l != null) {
                l.values().forEach((k, v) -> {
                    if (!LABEL_NAME.matcher(k).matches()) {
                        tree.error(l.keys().get(k), field + ".labels: \"" + k + "\" is not a label name"
                                + " (letters, digits and _, not starting with a digit)");
                    }
                    String t = tree.text(v, field + ".labels." + k, "a value or glob");
                    if (t != null) labels.put(k, ValuePattern.of(t));
                });
            }
        }
        return new Matchers(rule, check, target, proto, port, agent, labels);
    }

    private ValuePattern pattern(YamlReader.Entries e, String key, String field) {
        if (!e.has(key)) {
            return null;
        }
        String t = tree.text(e.get(key), field + "." + key, "a value or glob");
        return t == null ? null : ValuePattern.of(t);
    }

    private PortRange port(Node node, String field) {
        String expected = "a port 0-65535 or a range such as 8000-8010";
        String t = tree.text(node, field, expected);
        if (t == null) {
            return null;
        }
        Matcher m = PORTS.matcher(t.trim());
        if (m.matches()) {
            int low = Integer.parseInt(m.group(1));
            int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
            if (high <= 65535 && low <= high) {
                return new PortRange(low, high);
            }
        }
        tree.error(node, field + ": expected " + expected + ", not \"" + t + "\"");
        return null;
    }

    private Severity severity(Node node) {
        String expected = "one of critical, warning, info";
        String t = tree.text(node, "severity", expected);
        if (t == null) {
            return null;
        }
        for (Severity s : Severity.values()) {
            if (s.text().equals(t.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        tree.error(node, "severity: expected " + expected + ", not \"" + t + "\"");
        return null;
    }

    private List<String> channels(Node node) {
        List<Node> items = tree.list(node, "channels", "a list of notifier names");
        List<String> out = new ArrayList<>();
        for (Node item : items == null ? List.<Node>of() : items) {
            String n = name(item, "channels");
            if (n != null) out.add(n);
        }
        return out;
    }

    String name(Node node, String field) {
        String expected = "a name of letters, digits, '.', '_' and '-'";
        String t = tree.text(node, field, expected);
        if (t != null && !NAME.matcher(t).matches()) {
            tree.error(node, field + ": expected " + expected + ", not " + TextRule.shown(t));
            return null;
        }
        if (t != null && t.length() > InputLimits.DOCUMENT_NAME_LENGTH) {
            tree.error(node, field + ": " + t.length() + " characters, at most " + InputLimits.DOCUMENT_NAME_LENGTH);
            return null;
        }
        return t;
    }

    /** A value already reported as wrong stands in as 1, so reading goes on. */
    private static int orOne(Integer v) {
        return v == null ? 1 : v;
    }
}
