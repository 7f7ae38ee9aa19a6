package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test fixtures under {@code src/test/resources/testdata}, copied where a test loads them. */
final class TestData {

    private TestData() {}

    static Path path(String name) {
        try {
            return Path.of(TestData.class.getResource("/testdata/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies a fixture into {@code root/checks.d}: a file as it is, a directory's files into it.
     * Returns {@code root/checks.d}, so that errors read {@code <root>/checks.d/<file>:...}.
     */
    static Path checksDir(Path root, Path fixture) {
        Path dir = root.resolve("checks.d");
        try {
            Files.createDirectories(dir);
            List<Path> files = Files.isDirectory(fixture) ? list(fixture) : List.of(fixture);
            for (Path file : files) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The error lines of an invalid load, with {@code root/} taken out of file names and cited locations. */
    static List<String> errorLines(ConfigLoad load, Path root) {
        String prefix = root + root.getFileSystem().getSeparator();
        return assertInstanceOf(ConfigLoad.Invalid.class, load, () -> "expected errors, got " + load)
                .errors().stream()
                .map(error -> error.toString().replace(prefix, ""))
                .toList();
    }

    static CheckConfig loaded(ConfigLoad load) {
        return assertInstanceOf(ConfigLoad.Loaded.class, load, () -> "expected a valid configuration, got " + load)
                .config();
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
