package io.portwatch.collector.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Commands find the server a running collector holds, instead of starting a second one on its data. */
class EmbeddedPostgresLauncherTest {

    @Test
    void theRunningServersPortIsFoundWhileItRunsAndNotAfter() throws Exception {
        Path dir = Files.createTempDirectory("portwatch-launcher-test");
        assertEquals(Optional.empty(), EmbeddedPostgresLauncher.portOfRunningServer(dir));
        try (EmbeddedPostgresLauncher.Running db = EmbeddedPostgresLauncher.start(dir, true)) {
            assertEquals(Optional.of(db.server().getPort()), EmbeddedPostgresLauncher.portOfRunningServer(dir));
        }
        assertEquals(Optional.empty(), EmbeddedPostgresLauncher.portOfRunningServer(dir));
    }
}
