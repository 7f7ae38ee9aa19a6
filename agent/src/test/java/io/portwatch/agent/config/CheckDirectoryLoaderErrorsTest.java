package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code testdata/invalid-*.yaml} file (or {@code invalid-*} directory, for rules across
 * files) is loaded as {@code checks.d/} and must give exactly the lines of its {@code .errors} file.
 */
class CheckDirectoryLoaderErrorsTest {

    @TempDir
    Path root;

    static Stream<String> cases() throws IOException {
        return TestData.list(TestData.path("")).stream()
                .map(path -> path.getFileName().toString())
                .filter(name -> name.startsWith("invalid-") && name.endsWith(".errors"))
                .map(name -> name.substring(0, name.length() - ".errors".length()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedErrors(String name) throws IOException {
        Path file = TestData.path("").resolve(name + ".yaml");
        Path fixture = Files.exists(file) ? file : TestData.path(name);
        List<String> expected = Files.readAllLines(TestData.path(name + ".errors"));

        Path dir = TestData.checksDir(root, fixture);
        List<String> actual = TestData.errorLines(new CheckDirectoryLoader().load(dir), root);

        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    @Test
    void everyInvalidFixtureHasItsExpectedErrors() throws IOException {
        List<String> withErrors = cases().toList();
        assertFalse(withErrors.isEmpty());
        for (Path path : TestData.list(TestData.path(""))) {
            String name = path.getFileName().toString();
            if (name.startsWith("invalid-") && !name.endsWith(".errors")) {
                String caseName = name.endsWith(".yaml") ? name.substring(0, name.length() - ".yaml".length()) : name;
                assertTrue(withErrors.contains(caseName), name + " has no " + caseName + ".errors");
            }
        }
    }

    @Test
    void missingDirectoryIsOneErrorNamingIt() {
        Path dir = root.resolve("checks.d");

        assertEquals(List.of("checks.d:0:0: check directory does not exist"),
                TestData.errorLines(new CheckDirectoryLoader().load(dir), root));
    }

    @Test
    void fileGivenAsDirectoryIsAnError() throws IOException {
        Path file = Files.writeString(root.resolve("web.yaml"), "checks: []\n");

        assertEquals(List.of("web.yaml:0:0: check directory is not a directory"),
                TestData.errorLines(new CheckDirectoryLoader().load(file), root));
    }

    @Test
    void fileThatIsNotUtf8IsAnError() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'#', ' ', (byte) 0xE9, '\n'});

        assertEquals(List.of("checks.d/latin1.yaml:0:0: cannot read file: not valid UTF-8"),
                TestData.errorLines(new CheckDirectoryLoader().load(dir), root));
    }

    @Test
    void controlCharacterIsReportedWhereItIs() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.writeString(dir.resolve("web.yaml"), "checks:\n  - name: w\u0001b\n");

        assertEquals(
                List.of("checks.d/web.yaml:2:12: invalid YAML: special characters are not allowed (code point 0x1)"),
                TestData.errorLines(new CheckDirectoryLoader().load(dir), root));
    }

    @Test
    void secondDocumentInAFileIsAnError() throws IOException {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Files.writeString(dir.resolve("web.yaml"), "checks: []\n---\nchecks: []\n");

        assertEquals(
                List.of("checks.d/web.yaml:2:1: invalid YAML: "
                        + "expected a single document in the stream, but found another document"),
                TestData.errorLines(new CheckDirectoryLoader().load(dir), root));
    }
}
