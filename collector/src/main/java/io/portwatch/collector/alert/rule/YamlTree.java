package io.portwatch.collector.alert.rule;

import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.input.TextRule;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The composed node tree of one YAML (or JSON, which is YAML) document with typed reads that
 * report a wrong shape as a {@link RuleError} at the node and go on, so one pass finds every error.
 * Values are read from the node tree, never constructed: no YAML tag can build an object.
 */
public final class YamlTree {

    /** The mapping's keys with their value nodes, in document order, and the key nodes for errors. */
    public record Entries(Map<String, Node> values, Map<String, Node> keys) {
        public Node get(String key) {
            return values.get(key);
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }
    }

    private final String file;
    private final List<RuleError> errors = new ArrayList<>();

    public YamlTree(String file) {
        this.file = file;
    }

    public List<RuleError> errors() {
        return List.copyOf(errors);
    }

    int errorCount() {
        return errors.size();
    }

    String location(Node node) {
        Mark m = node.getStartMark();
        return file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    public void error(Node node, String message) {
        Mark m = node.getStartMark();
        errors.add(new RuleError(file, m.getLine() + 1, m.getColumn() + 1, message));
    }

    /** The root node; null (reported, or {@code emptyMessage} for an empty document) when there is none. */
    public Node compose(String text, String emptyMessage) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            if (root == null) {
                errors.add(new RuleError(file, 1, 1, emptyMessage));
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() != null ? e.getContext() + ", " : "";
            errors.add(new RuleError(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
                    "invalid YAML: " + context + e.getProblem()));
        } catch (YAMLException e) {
            errors.add(new RuleError(file, 1, 1, "invalid YAML: " + e.getMessage()));
        }
        return null;
    }

    /**
     * A mapping's entries, reporting non-scalar, duplicate and (unless in {@code allowed}) unknown
     * keys; messages start with {@code what} (the field path) unless it is empty.
     */
    public Entries mapping(Node node, String what, List<String> allowed) {
        String field = what.isEmpty() ? "" : what + ": ";
        if (!(node instanceof MappingNode mapping)) {
            error(node, field + "expected a mapping");
            return null;
        }
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                error(t.getKeyNode(), field + "expected a key name");
                continue;
            }
            String name = key.getValue();
            if (keys.containsKey(name)) {
                error(key, field + "duplicate key \"" + name + "\" (first at " + location(keys.get(name)) + ")");
            } else if (allowed != null && !allowed.contains(name)) {
                error(key, field + "unknown key \"" + name + "\" (allowed: " + String.join(", ", allowed) + ")");
            } else {
                keys.put(name, key);
                values.put(name, t.getValueNode());
            }
        }
        return new Entries(values, keys);
    }

    /**
     * A non-null scalar's text, or null after reporting {@code field: expected ...}. Every string
     * a document gives passes here, so here it meets the charset and length rule: a JSON escape
     * such as {@code \u0000} would otherwise carry a NUL to PostgreSQL.
     */
    public String text(Node node, String field, String expected) {
        if (node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
            String rule = TextRule.violation(s.getValue(), InputLimits.DOCUMENT_TEXT_LENGTH, true);
            if (rule != null) {
                error(node, field + ": " + rule);
                return null;
            }
            return s.getValue();
        }
        error(node, field + ": expected " + expected);
        return null;
    }

    /** An integer of at least {@code min}, or null (reported). */
    Integer integer(Node node, String field, int min) {
        String expected = "an integer of at least " + min;
        String t = text(node, field, expected);
        if (t == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(t.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(node, field + ": expected " + expected + ", not \"" + t + "\"");
        return null;
    }

    /** A sequence's items, or null (reported). */
    List<Node> list(Node node, String field, String expected) {
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        error(node, field + ": expected " + expected);
        return null;
    }
}
