package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files in a temp directory; every wait is bounded. */
class CheckDirectoryWatcherTest {

    private static final long WAIT_SECONDS = 5;

    @TempDir
    Path root;

    private final Semaphore changes = new Semaphore(0);
    private final AtomicInteger calls = new AtomicInteger();
    private CheckDirectoryWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch(Path dir, Duration retry) throws IOException {
        watcher = CheckDirectoryWatcher.start(dir, Duration.ofMillis(100), retry, () -> {
            calls.incrementAndGet();
            changes.release();
        });
    }

    private boolean changed() throws InterruptedException {
        return changes.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void newFileIsReported() throws Exception {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        watch(dir, Duration.ofSeconds(5));

        Files.writeString(dir.resolve("web.yaml"), "checks: []\n");

        assertTrue(changed(), "no callback within " + WAIT_SECONDS + " s");
    }

    @Test
    void burstOfWritesIsDebounced() throws Exception {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        watch(dir, Duration.ofSeconds(5));

        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("check-" + i + ".yaml"), "checks: []\n");
        }

        assertTrue(changed(), "no callback within " + WAIT_SECONDS + " s");
        Thread.sleep(500);
        assertTrue(calls.get() < 10, calls.get() + " callbacks for one burst");
    }

    /** How the kubelet updates a ConfigMap volume: files are links through ..data, which is swapped. */
    @Test
    void configMapSymlinkSwapIsReported() throws Exception {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        Path first = Files.createDirectories(dir.resolve("..2024_01_01_00_00_00.1"));
        Files.writeString(first.resolve("web.yaml"), "checks: []\n");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(dir.resolve("web.yaml"), Path.of("..data", "web.yaml"));
        watch(dir, Duration.ofSeconds(5));

        Path second = Files.createDirectories(dir.resolve("..2024_01_01_00_01_00.2"));
        Files.writeString(second.resolve("web.yaml"), "checks:\n  - {name: web, targets: [web1], tcp: [80]}\n");
        Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        assertTrue(changed(), "no callback within " + WAIT_SECONDS + " s");
        assertTrue(Files.readString(dir.resolve("web.yaml")).contains("web1"));
    }

    @Test
    void directoryCreatedLaterIsWatchedOnceItExists() throws Exception {
        Path dir = root.resolve("checks.d");
        watch(dir, Duration.ofMillis(100));

        Files.createDirectories(dir);
        assertTrue(changed(), "no callback for the new directory within " + WAIT_SECONDS + " s");
        Files.writeString(dir.resolve("web.yaml"), "checks: []\n");

        assertTrue(changed(), "no callback for its file within " + WAIT_SECONDS + " s");
    }

    @Test
    void noCallbackAfterClose() throws Exception {
        Path dir = Files.createDirectories(root.resolve("checks.d"));
        watch(dir, Duration.ofSeconds(5));
        watcher.close();

        Files.writeString(dir.resolve("web.yaml"), "checks: []\n");

        assertTrue(!changes.tryAcquire(500, TimeUnit.MILLISECONDS), "callback after close");
    }
}
