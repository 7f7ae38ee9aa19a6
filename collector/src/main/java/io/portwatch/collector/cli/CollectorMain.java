package io.portwatch.collector.cli;

import io.portwatch.collector.db.EmbeddedPostgresLauncher;
import io.portwatch.collector.db.EmbeddedPostgresSettings;
import io.portwatch.collector.db.PostgresPlatform;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;

/**
 * Entry point. With no external database configured (QUARKUS_DATASOURCE_JDBC_URL or
 * -Dquarkus.datasource.jdbc.url) it first starts an embedded PostgreSQL whose data directory
 * (PORTWATCH_DATA_DIR, default ./data/postgres) survives restarts; its server settings are
 * {@link EmbeddedPostgresSettings}. A first argument naming a command group ({@code keys ...})
 * runs that command instead of the collector ({@link CollectorCommands}).
 *
 * <p>These few settings are read before Quarkus starts (the datasource URL must be set by then), so
 * from a SmallRye Config of their own over system properties and the environment: the same library
 * and the same naming rules as Quarkus' ({@code portwatch.data-dir} or {@code PORTWATCH_DATA_DIR},
 * the property first; a blank value counts as unset).
 */
@QuarkusMain
public class CollectorMain {

    static final String JDBC_URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String DATA_DIR_PROPERTY = "portwatch.data-dir";
    static final String DATA_DIR_DEFAULT = "data/postgres";

    public static void main(String... args) {
        if (args.length > 0 && CollectorCommands.handles(args[0])) {
            System.exit(CollectorCommands.main(args, System.out, System.err));
        }
        if (externalDatabaseUrl() == null) {
            try {
                useDatabase(startEmbeddedDatabase());
            } catch (PostgresPlatform.Unsupported e) {
                System.err.println("collector: " + e.getMessage());
                System.exit(1);
            }
        }
        Quarkus.run(args);
    }

    /** Starts the embedded PostgreSQL in the data directory, stopped when this JVM exits. */
    public static EmbeddedPostgresLauncher.Running startEmbeddedDatabase() {
        var settings = EmbeddedPostgresSettings.parse(setting(EmbeddedPostgresSettings.PROPERTY, null));
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
        return Path.of(setting(DATA_DIR_PROPERTY, DATA_DIR_DEFAULT));
    }

    public static String externalDatabaseUrl() {
        return setting(JDBC_URL_PROPERTY, null);
    }

    /**
     * A setting from the system properties or the environment, read afresh: {@link #useDatabase}
     * sets a property that a later read must see.
     */
    private static String setting(String name, String fallback) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addSystemSources().build();
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank()).orElse(fallback);
    }
}
