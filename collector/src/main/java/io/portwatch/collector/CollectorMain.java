package io.portwatch.collector;

import io.portwatch.collector.cli.CollectorCommands;
import io.portwatch.collector.db.EmbeddedPostgresLauncher;
import io.portwatch.collector.db.EmbeddedPostgresSettings;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Entry point. With no external database configured (QUARKUS_DATASOURCE_JDBC_URL or
 * -Dquarkus.datasource.jdbc.url) it first starts an embedded PostgreSQL whose data directory
 * (PORTWATCH_DATA_DIR, default ./data/postgres) survives restarts; its server settings are
 * {@link EmbeddedPostgresSettings}. A first argument naming a command group ({@code keys ...})
 * runs that command instead of the collector ({@link CollectorCommands}).
 */
@QuarkusMain
public class CollectorMain {

    static final String JDBC_URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String JDBC_URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String DATA_DIR_ENV = "PORTWATCH_DATA_DIR";
    static final String DATA_DIR_PROPERTY = "portwatch.data-dir";

    public static void main(String... args) {
        if (args.length > 0 && CollectorCommands.handles(args[0])) {
            System.exit(CollectorCommands.main(args, System.out, System.err));
        }
        if (externalDatabaseUrl() == null) {
            useDatabase(startEmbeddedDatabase());
        }
        Quarkus.run(args);
    }

    /** Starts the embedded PostgreSQL in the data directory, stopped when this JVM exits. */
    public static EmbeddedPostgresLauncher.Running startEmbeddedDatabase() {
        var settings = EmbeddedPostgresSettings.parse(firstNonBlank(
                System.getProperty(EmbeddedPostgresSettings.PROPERTY), System.getenv(EmbeddedPostgresSettings.ENV), null));
        EmbeddedPostgresLauncher.Running db = EmbeddedPostgresLauncher.start(dataDir(), false, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
        return db;
    }

    /** Points the datasource at this server, before Quarkus starts. */
    public static void useDatabase(EmbeddedPostgresLauncher.Running db) {
        System.setProperty(JDBC_URL_PROPERTY, db.jdbcUrl());
        System.setProperty("quarkus.datasource.username", db.username());
    }

    /** The embedded PostgreSQL's data directory. */
    public static Path dataDir() {
        return Path.of(firstNonBlank(System.getProperty(DATA_DIR_PROPERTY), System.getenv(DATA_DIR_ENV), "data/postgres"));
    }

    public static String externalDatabaseUrl() {
        return firstNonBlank(System.getProperty(JDBC_URL_PROPERTY), System.getenv(JDBC_URL_ENV), null);
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) return a;
        if (b != null && !b.isBlank()) return b;
        return fallback;
    }
}
