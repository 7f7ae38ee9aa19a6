package io.portwatch.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed access to the composed YAML tree of one check file. A node of the wrong shape becomes a
 * {@link ConfigError} at its position and reading goes on, so one pass finds every error of a file.
 */
final class NodeReader {

    /** Reads the value of one mapping key into a draft. */
    @FunctionalInterface
    interface FieldReader<T> {
        void read(NodeReader reader, Node value, T draft);
    }

    /** The keys a mapping may hold, each with its reader, in the order error messages list them. */
    static final class Fields<T> {
        private final Map<String, FieldReader<T>> readers = new LinkedHashMap<>();

        Fields<T> add(String key, FieldReader<T> reader) {
            readers.put(key, reader);
            return this;
        }

        String allowed() {
            return String.join(", ", readers.keySet());
        }
    }

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    NodeReader(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    List<ConfigError> errors() {
        return List.copyOf(errors);
    }

    int errorCount() {
        return errors.size();
    }

    void error(Node node, String message) {
        error(node.getStartMark(), message);
    }

    /** {@code mark} is SnakeYAML's, 0-based; errors are 1-based. */
    void error(Mark mark, String message) {
        error(mark.getLine() + 1, mark.getColumn() + 1, message);
    }

    void error(int line, int column, String message) {
        errors.add(new ConfigError(file, line, column, message));
    }

    /** {@code file:line:column} of a node, as error messages cite an earlier definition. */
    String location(Node node) {
        Mark mark = node.getStartMark();
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    /** The text of a non-null scalar; otherwise reports {@code expected} and returns null. */
    String text(Node node, String expected) {
        if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        error(node, expected);
        return null;
    }

    /** The items of a sequence; otherwise reports {@code expected} and returns null. */
    List<Node> sequence(Node node, String expected) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        error(node, expected);
        return null;
    }

    /**
     * The entries of a mapping whose key is a scalar seen for the first time, in file order.
     * Reports the other keys, and {@code expected} (returning null) when the node is no mapping.
     */
    Map<ScalarNode, Node> entries(Node node, String expected) {
        if (!(node instanceof MappingNode mapping)) {
            error(node, expected);
            return null;
        }
        Map<String, ScalarNode> firstByName = new LinkedHashMap<>();
        Map<ScalarNode, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                error(tuple.getKeyNode(), "expected a key name");
                continue;
            }
            ScalarNode first = firstByName.putIfAbsent(key.getValue(), key);
            if (first != null) {
                error(key, "duplicate key \"" + key.getValue() + "\" (first defined at " + location(first) + ")");
                continue;
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    /**
     * Reads every key of a mapping with its reader from {@code fields} and reports unknown keys.
     * Returns the known keys present (read without error or not) with their key nodes, in file
     * order, or null when the node is no mapping.
     */
    <T> Map<String, ScalarNode> mapping(Node node, Fields<T> fields, T draft) {
        Map<ScalarNode, Node> entries = entries(node, "expected a mapping");
        if (entries == null) {
            return null;
        }
        Map<String, ScalarNode> present = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            FieldReader<T> reader = fields.readers.get(key.getValue());
            if (reader == null) {
                error(key, "unknown key \"" + key.getValue() + "\" (allowed: " + fields.allowed() + ")");
                return;
            }
            present.put(key.getValue(), key);
            reader.read(this, value, draft);
        });
        return present;
    }
}
