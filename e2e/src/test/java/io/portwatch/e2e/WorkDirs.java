package io.portwatch.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temporary directories the tests give the apps (PostgreSQL data, spools, check files). */
final class WorkDirs {

    private WorkDirs() {}

    /** Deletes {@code dir} and everything below it, deepest first; null is nothing to delete. */
    static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
