package io.portwatch.collector;

import io.portwatch.collector.db.EmbeddedPostgresLauncher;
import io.portwatch.collector.db.EmbeddedPostgresSettings;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Entry point. With no external database configured (QUARKUS_DATASOURCE_JDBC_URL or
 * -Dquarkus.datasource.jdbc.url) it first starts an embedded PostgreSQL whose data directory
 * (PORTWATCH_DATA_DIR, default ./data/postgres) survives restarts; its server settings are
 * {@link EmbeddedPostgresSettings}.
 */
@QuarkusMain
public class CollectorMain {

    static final String JDBC_URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String JDBC_URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String DATA_DIR_ENV = "PORTWATCH_DATA_DIR";
    static final String DATA_DIR_PROPERTY = "portwatch.data-dir";

    public static void main(String... args) {
        if (externalDatabaseUrl() == null) {
            String dir = firstNonBlank(System.getProperty(DATA_DIR_PROPERTY), System.getenv(DATA_DIR_ENV), "data/postgres");
            var settings = EmbeddedPostgresSettings.parse(firstNonBlank(
                    System.getProperty(EmbeddedPostgresSettings.PROPERTY), System.getenv(EmbeddedPostgresSettings.ENV), null));
            EmbeddedPostgresLauncher.Running db = EmbeddedPostgresLauncher.start(Path.of(dir), false, settings);
            System.setProperty(JDBC_URL_PROPERTY, db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", db.username());
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
        }
        Quarkus.run(args);
    }

    private static String externalDatabaseUrl() {
        return firstNonBlank(System.getProperty(JDBC_URL_PROPERTY), System.getenv(JDBC_URL_ENV), null);
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) return a;
        if (b != null && !b.isBlank()) return b;
        return fallback;
    }
}
