package io.portwatch.core.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The reader's own rules; the texts each app shows are pinned by its tests (the agent's
 * CheckDirectoryLoaderErrorsTest, the collector's RulesFileTest and rule and silence resource tests).
 */
class YamlReaderTest {

    private static List<String> texts(YamlReader reader) {
        return reader.errors().stream().map(YamlError::toString).toList();
    }

    /** What composing {@code text} reports, when it gives no root node. */
    private static List<String> composeErrors(String text, String emptyMessage) {
        YamlReader reader = new YamlReader("a.yaml");
        assertNull(reader.compose(text, emptyMessage));
        return texts(reader);
    }

    @Test
    void whyADocumentHasNoRootIsReportedAtItsPlace() {
        assertEquals(List.of("a.yaml:1:5: invalid YAML: mapping values are not allowed here"),
                composeErrors("a: b: c\n", "empty"));
        assertEquals(List.of("a.yaml:2:5: invalid YAML: special characters are not allowed (code point 0x1)"),
                composeErrors("a: 1\nb: x\u0001\n", "empty"));
        assertEquals(List.of("a.yaml:1:1: missing required key \"rules\""),
                composeErrors("", "missing required key \"rules\""));
    }

    @Test
    void fieldMappingsReportDuplicateAndUnknownKeysWithTheirPath() {
        YamlReader reader = new YamlReader("r.yaml");
        Node root = reader.compose("match:\n  port: 1\n  port: 2\n  nope: 3\n", "empty");
        YamlReader.Entries top = reader.mapping(root, "", List.of("match"));
        YamlReader.Entries match = reader.mapping(top.get("match"), "match", List.of("port"));
        assertEquals(List.of("port"), new ArrayList<>(match.values().keySet()));
        assertEquals(List.of(
                "r.yaml:3:3: match: duplicate key \"port\" (first at r.yaml:2:3)",
                "r.yaml:4:3: match: unknown key \"nope\" (allowed: port)"), texts(reader));
    }

    @Test
    void draftMappingsReportDuplicatesWithTheFirstDefinition() {
        YamlReader reader = new YamlReader("c.yaml");
        Node root = reader.compose("name: a\nname: b\nother: 1\n", "empty");
        List<String> read = new ArrayList<>();
        YamlReader.Fields<List<String>> fields = new YamlReader.Fields<List<String>>()
                .add("name", (r, node, draft) -> draft.add(r.text(node, "expected a name")));
        reader.mapping(root, fields, read);
        assertEquals(List.of("a"), read);
        assertEquals(List.of(
                "c.yaml:2:1: duplicate key \"name\" (first defined at c.yaml:1:1)",
                "c.yaml:3:1: unknown key \"other\" (allowed: name)"), texts(reader));
    }

    @Test
    void theTextRuleMeetsEveryScalar() {
        YamlReader reader = new YamlReader("body", t -> t.length() > 3 ? "at most 3 characters" : null);
        Node root = reader.compose("{\"a\": \"long text\", \"b\": \"ok\", \"c\": 5}", "empty");
        YamlReader.Entries e = reader.mapping(root, "", null);
        assertNull(reader.text(e.get("a"), "a", "a text"));
        assertEquals("ok", reader.text(e.get("b"), "b", "a text"));
        assertEquals(5, reader.integer(e.get("c"), "c", 1));
        assertNull(reader.integer(e.get("c"), "c", 6));
        assertNull(reader.list(e.get("b"), "b", "a list"));
        assertEquals(List.of(
                "body:1:7: a: at most 3 characters",
                "body:1:36: c: expected an integer of at least 6, not \"5\"",
                "body:1:25: b: expected a list"), texts(reader));
    }
}
