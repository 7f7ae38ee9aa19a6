package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the examples of {@code docs/check-files.md}: each {@code yaml} block is loaded as
 * {@code checks.d/example.yaml}; it must be valid, or, when a {@code text} block of
 * {@code checks.d/...} lines follows it, give exactly those errors.
 */
class DocsExamplesTest {

    /** Tests run in the module's directory; the docs are beside it. */
    private static final Path DOC = Path.of("..", "docs", "check-files.md");
    private static final Pattern BLOCK = Pattern.compile("```(yaml|text)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path root;

    private record Block(String kind, String text) {}

    @Test
    void everyExampleLoadsOrGivesTheErrorsShown() throws IOException {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(Files.readString(DOC));
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
        }
        assertFalse(blocks.isEmpty(), "no examples in " + DOC);

        for (int i = 0; i < blocks.size(); i++) {
            if (!blocks.get(i).kind().equals("yaml")) {
                continue;
            }
            Path dir = Files.createDirectories(root.resolve("example-" + i).resolve("checks.d"));
            Files.writeString(dir.resolve("example.yaml"), blocks.get(i).text());
            ConfigLoad load = new CheckDirectoryLoader().load(dir);
            Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
            if (next != null && next.kind().equals("text") && next.text().startsWith("checks.d/")) {
                assertEquals(next.text().strip(),
                        String.join("\n", TestData.errorLines(load, dir.getParent())), "example " + i);
            } else {
                TestData.loaded(load);
            }
        }
    }
}
