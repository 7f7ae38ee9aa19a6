package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CheckDirectoryLoader#loadIfChanged}: the agent's periodic rescan parses only what changed. */
class CheckDirectoryRescanTest {

    private static final String WEB = """
            checks:
              - name: web
                targets: [127.0.0.1]
                tcp: [80]
            """;

    private final CheckDirectoryLoader loader = new CheckDirectoryLoader();

    @TempDir
    Path dir;

    @Test
    void sameFilesAreNotParsedAgain() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), WEB);
        ConfigLoad first = loader.loadIfChanged(dir, null).orElseThrow();

        assertEquals(Optional.empty(), loader.loadIfChanged(dir, first.digest()));
        assertEquals(first.digest(), loader.load(dir).digest(), "the same files give the same digest");
    }

    @Test
    void anEditThatKeepsSizeAndModificationTimeIsSeen() throws IOException {
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, WEB);
        FileTime time = Files.getLastModifiedTime(file);
        ConfigLoad first = loader.load(dir);

        Files.writeString(file, WEB.replace("[80]", "[81]"));
        Files.setLastModifiedTime(file, time);

        ConfigLoad second = loader.loadIfChanged(dir, first.digest()).orElseThrow();
        assertEquals(81, TestData.loaded(second).instances().get(0).port());
    }

    @Test
    void anAddedRenamedOrRemovedFileIsSeen() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), WEB);
        DirectoryDigest one = loader.load(dir).digest();

        Files.writeString(dir.resolve("dns.yaml"), WEB.replace("web", "dns"));
        DirectoryDigest two = loader.loadIfChanged(dir, one).orElseThrow().digest();
        assertEquals(2, TestData.loaded(loader.load(dir)).files());

        Files.move(dir.resolve("dns.yaml"), dir.resolve("resolvers.yaml"));
        DirectoryDigest three = loader.loadIfChanged(dir, two).orElseThrow().digest();

        Files.delete(dir.resolve("resolvers.yaml"));
        DirectoryDigest four = loader.loadIfChanged(dir, three).orElseThrow().digest();
        assertEquals(one, four, "back to the first directory, back to its digest");
    }

    @Test
    void anUnchangedBrokenDirectoryIsNotParsedAgainEither() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), "checks: [");
        ConfigLoad broken = loader.load(dir);
        assertInstanceOf(ConfigLoad.Invalid.class, broken);

        assertEquals(Optional.empty(), loader.loadIfChanged(dir, broken.digest()));
        Files.writeString(dir.resolve("web.yaml"), WEB);
        assertInstanceOf(ConfigLoad.Loaded.class, loader.loadIfChanged(dir, broken.digest()).orElseThrow());
    }

    @Test
    void aMissingDirectoryIsReadEveryTime() {
        Path missing = dir.resolve("nowhere");
        ConfigLoad load = loader.loadIfChanged(missing, null).orElseThrow();

        assertNull(load.digest());
        assertTrue(loader.loadIfChanged(missing, load.digest()).isPresent());
    }
}
