package io.portwatch.core.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
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
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * The composed node tree of one YAML (or JSON, which is YAML) document with typed reads: a node of
 * the wrong shape becomes a {@link YamlError} at its place and reading goes on, so one pass finds
 * every error of a document. Values are read from the node tree, never constructed: no YAML tag can
 * build an object. The agent reads check files with it, the collector rules and silences.
 *
 * <p>Two styles of message, as each app documents them: the check-file reads ({@link #text(Node, String)},
 * {@link #sequence}, {@link #mapping(Node, Fields, Object)}) report the message they are given; the
 * field reads ({@link #text(Node, String, String)}, {@link #list}, {@link #integer},
 * {@link #mapping(Node, String, List)}) start it with the field's path, {@code for: expected …}.
 */
public final class YamlReader {

    /** Reads the value of one mapping key into a draft. */
    @FunctionalInterface
    public interface FieldReader<T> {
        void read(YamlReader reader, Node value, T draft);
    }

    /** The keys a mapping may hold, each with its reader, in the order error messages list them. */
    public static final class Fields<T> {
        private final Map<String, FieldReader<T>> readers = new LinkedHashMap<>();

        public Fields<T> add(String key, FieldReader<T> reader) {
            readers.put(key, reader);
            return this;
        }

        String allowed() {
            return String.join(", ", readers.keySet());
        }
    }

    /** A mapping's keys with their value nodes, in document order, and the key nodes for errors. */
    public record Entries(Map<String, Node> values, Map<String, Node> keys) {
        public Node get(String key) {
            return values.get(key);
        }

        public boolean has(String key) {
            return values.containsKey(key);
        }
    }

    private final String file;
    private final UnaryOperator<String> textRule;
    private final List<YamlError> errors = new ArrayList<>();

    /** A reader that takes every scalar's text as it is. */
    public YamlReader(String file) {
        this(file, text -> null);
    }

    /**
     * A reader whose scalar texts must also pass {@code textRule}: it returns why a text is refused
     * (reported at the node), or null. Every string a document gives passes {@code text}, so a
     * charset or length rule here holds for all of them.
     */
    public YamlReader(String file, UnaryOperator<String> textRule) {
        this.file = file;
        this.textRule = textRule;
    }

    public String file() {
        return file;
    }

    public List<YamlError> errors() {
        return List.copyOf(errors);
    }

    public int errorCount() {
        return errors.size();
    }

    public void error(Node node, String message) {
        error(node.getStartMark(), message);
    }

    /** {@code mark} is SnakeYAML's, 0-based; errors are 1-based. */
    public void error(Mark mark, String message) {
        error(mark.getLine() + 1, mark.getColumn() + 1, message);
    }

    public void error(int line, int column, String message) {
        errors.add(new YamlError(file, line, column, message));
    }

    /** {@code file:line:column} of a node, as error messages cite an earlier definition. */
    public String location(Node node) {
        Mark mark = node.getStartMark();
        return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    /**
     * The root node of {@code text}; null after reporting why there is none: invalid YAML at its
     * place, or {@code emptyMessage} at 1:1 for an empty document.
     */
    public Node compose(String text, String emptyMessage) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            if (root == null) {
                error(1, 1, emptyMessage);
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            // The context starts SnakeYAML's sentence:
            // "expected a single document in the stream, but found another document".
            String context = e.getContext() != null ? e.getContext() + ", " : "";
            if (mark == null) {
                error(1, 1, "invalid YAML: " + context + e.getProblem());
            } else {
                error(mark, "invalid YAML: " + context + e.getProblem());
            }
        } catch (ReaderException e) {
            int[] lineColumn = lineColumn(text, e.getPosition());
            error(lineColumn[0], lineColumn[1], "invalid YAML: special characters are not allowed (code point 0x"
                    + Integer.toHexString(e.getCodePoint()) + ")");
        } catch (YAMLException e) {
            error(1, 1, "invalid YAML: " + e.getMessage());
        }
        return null;
    }

    /** Line and column (1-based) of a code point offset, as SnakeYAML's reader counts them. */
    private static int[] lineColumn(String text, int codePointOffset) {
        int line = 1;
        int column = 1;
        int offset = 0;
        for (int i = 0; i < text.length() && offset < codePointOffset; i += Character.charCount(text.codePointAt(i))) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            offset++;
        }
        return new int[] {line, column};
    }

    /** The text of a non-null scalar; otherwise reports {@code expected} and returns null. */
    public String text(Node node, String expected) {
        if (!isText(node)) {
            error(node, expected);
            return null;
        }
        return checked(node, "");
    }

    /** A non-null scalar's text, or null after reporting {@code field: expected <expected>}. */
    public String text(Node node, String field, String expected) {
        if (!isText(node)) {
            error(node, field + ": expected " + expected);
            return null;
        }
        return checked(node, field + ": ");
    }

    private static boolean isText(Node node) {
        return node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag());
    }

    /** The scalar's text when the text rule passes it, else null after reporting the rule. */
    private String checked(Node node, String prefix) {
        String value = ((ScalarNode) node).getValue();
        String rule = textRule.apply(value);
        if (rule != null) {
            error(node, prefix + rule);
            return null;
        }
        return value;
    }

    /** An integer of at least {@code min}, or null (reported as {@code field: expected an integer …}). */
    public Integer integer(Node node, String field, int min) {
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

    /** The items of a sequence; otherwise reports {@code expected} and returns null. */
    public List<Node> sequence(Node node, String expected) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        error(node, expected);
        return null;
    }

    /** A sequence's items, or null after reporting {@code field: expected <expected>}. */
    public List<Node> list(Node node, String field, String expected) {
        return sequence(node, field + ": expected " + expected);
    }

    /**
     * The entries of a mapping whose key is a scalar seen for the first time, in file order.
     * Reports the other keys ({@code duplicate key "k" (first defined at file:line:column)}), and
     * {@code expected} (returning null) when the node is no mapping.
     */
    public Map<ScalarNode, Node> entries(Node node, String expected) {
        if (!(node instanceof MappingNode mapping)) {
            error(node, expected);
            return null;
        }
        return keyed(mapping, "", "first defined at", name -> true, null);
    }

    /**
     * Reads every key of a mapping with its reader from {@code fields} and reports unknown keys.
     * Returns the known keys present (read without error or not) with their key nodes, in file
     * order, or null when the node is no mapping.
     */
    public <T> Map<String, ScalarNode> mapping(Node node, Fields<T> fields, T draft) {
        Map<ScalarNode, Node> entries = entries(node, "expected a mapping");
        if (entries == null) {
            return null;
        }
        Map<String, ScalarNode> present = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            FieldReader<T> reader = fields.readers.get(key.getValue());
            if (reader == null) {
                error(key, unknownKey(key.getValue(), fields.allowed()));
                return;
            }
            present.put(key.getValue(), key);
            reader.read(this, value, draft);
        });
        return present;
    }

    /**
     * A mapping's entries, reporting non-scalar, duplicate ({@code (first at file:line:column)}) and,
     * unless in {@code allowed} (null: any key), unknown keys; messages start with {@code what} (the
     * field path) unless it is empty. Null (reported) when the node is no mapping.
     */
    public Entries mapping(Node node, String what, List<String> allowed) {
        String field = what.isEmpty() ? "" : what + ": ";
        if (!(node instanceof MappingNode mapping)) {
            error(node, field + "expected a mapping");
            return null;
        }
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Node> keys = new LinkedHashMap<>();
        keyed(mapping, field, "first at", allowed == null ? name -> true : allowed::contains,
                allowed == null ? null : String.join(", ", allowed))
                .forEach((key, value) -> {
                    keys.put(key.getValue(), key);
                    values.put(key.getValue(), value);
                });
        return new Entries(values, keys);
    }

    /**
     * The one walk over a mapping's keys: reports a key that is no scalar, a key seen before (citing
     * the first with {@code firstAt}) and one that {@code known} refuses, each starting with
     * {@code prefix}; returns the others with their values, in document order.
     */
    private Map<ScalarNode, Node> keyed(MappingNode mapping, String prefix, String firstAt, Predicate<String> known,
            String allowed) {
        Map<String, ScalarNode> firstByName = new LinkedHashMap<>();
        Map<ScalarNode, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                error(tuple.getKeyNode(), prefix + "expected a key name");
                continue;
            }
            String name = key.getValue();
            ScalarNode first = firstByName.get(name);
            if (first != null) {
                error(key, prefix + "duplicate key \"" + name + "\" (" + firstAt + " " + location(first) + ")");
            } else if (!known.test(name)) {
                error(key, prefix + unknownKey(name, allowed));
            } else {
                firstByName.put(name, key);
                entries.put(key, tuple.getValueNode());
            }
        }
        return entries;
    }

    private static String unknownKey(String name, String allowed) {
        return "unknown key \"" + name + "\" (allowed: " + allowed + ")";
    }
}
