package io.portwatch.collector;

import io.portwatch.collector.db.EmbeddedPostgresLauncher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One real PostgreSQL (zonky, the same launcher as production) for the tests of this module. */
public class EmbeddedPostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgresLauncher.Running db;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("portwatch-test-pg");
            db = EmbeddedPostgresLauncher.start(dir, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username());
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
