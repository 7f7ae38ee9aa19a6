package io.portwatch.collector.alert.silence;

import io.portwatch.collector.alert.rule.Matchers;
import io.portwatch.collector.alert.rule.RuleReader;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.core.yaml.YamlError;
import io.portwatch.core.yaml.YamlReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Reads a silence from an API request body (JSON), each error naming the field. */
public final class SilenceReader {

    /** A silence as requested: no id yet. */
    public record Draft(Matchers matchers, Instant startsAt, Instant endsAt, String comment, String createdBy) {}

    public record Parsed(Draft draft, List<YamlError> errors) {}

    private static final List<String> KEYS = List.of("matchers", "startsAt", "endsAt", "comment", "createdBy");

    private SilenceReader() {}

    /** {@code startsAt} defaults to {@code now}. */
    public static Parsed read(String text, Instant now) {
        YamlReader tree = RuleReader.yaml("request body");
        Node root = tree.compose(text, "the request body is empty: expected a silence");
        YamlReader.Entries e = root == null ? null : tree.mapping(root, "", KEYS);
        if (e == null) {
            return new Parsed(null, tree.errors());
        }
        for (String required : List.of("matchers", "endsAt", "comment", "createdBy")) {
            if (!e.has(required)) tree.error(root, "missing required key \"" + required + "\"");
        }
        Matchers matchers = e.has("matchers") ? matchers(tree, e.get("matchers")) : null;
        Instant startsAt = e.has("startsAt") ? instant(tree, e.get("startsAt"), "startsAt") : now;
        Instant endsAt = e.has("endsAt") ? instant(tree, e.get("endsAt"), "endsAt") : null;
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            tree.error(e.get("endsAt"), "endsAt: must be after startsAt " + startsAt);
        }
        String comment = e.has("comment") ? nonBlank(tree, e.get("comment"), "comment") : null;
        String createdBy = e.has("createdBy") ? nonBlank(tree, e.get("createdBy"), "createdBy") : null;
        return new Parsed(new Draft(matchers, startsAt, endsAt, comment, createdBy), tree.errors());
    }

    /** Matchers as stored (the same document the API received). */
    public static Matchers storedMatchers(String json) {
        YamlReader tree = RuleReader.yaml("stored silence");
        Matchers m = new RuleReader(tree).matchers(tree.compose(json, "empty"), "matchers", RuleReader.SILENCE_MATCH_KEYS);
        if (!tree.errors().isEmpty()) {
            throw new IllegalStateException("stored silence matchers " + json + " are invalid: " + tree.errors());
        }
        return m;
    }

    private static Matchers matchers(YamlReader tree, Node node) {
        int before = tree.errors().size();
        Matchers m = new RuleReader(tree).matchers(node, "matchers", RuleReader.SILENCE_MATCH_KEYS);
        if (m != null && tree.errors().size() == before && m.document().isEmpty()) {
            // An empty silence would mute every alert, the opposite of what a typo should do.
            tree.error(node, "matchers: at least one matcher is required ("
                    + String.join(", ", RuleReader.SILENCE_MATCH_KEYS) + ")");
        }
        return m;
    }

    private static Instant instant(YamlReader tree, Node node, String field) {
        String expected = "an ISO-8601 instant such as 2026-11-25T10:00:00Z";
        String t = tree.text(node, field, expected);
        if (t == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(t.trim());
            String rule = InputLimits.instant(at);
            if (rule != null) {
                tree.error(node, field + ": " + at + " is " + rule);
                return null;
            }
            return at;
        } catch (DateTimeParseException ex) {
            tree.error(node, field + ": expected " + expected + ", not \"" + t + "\"");
            return null;
        }
    }

    private static String nonBlank(YamlReader tree, Node node, String field) {
        String t = tree.text(node, field, "a non-empty string");
        if (t != null && t.isBlank()) {
            tree.error(node, field + ": expected a non-empty string");
            return null;
        }
        return t;
    }
}
