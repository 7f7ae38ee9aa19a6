package io.portwatch.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL started by the test, standing in for the compose file's postgres service: a
 * database and an owner with a password, reached over TCP on loopback like any external server.
 * The fault suite stops it and starts it again on the same data directory and port.
 */
final class ExternalPostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;
    final String database;
    final String user;
    final String password;

    private ExternalPostgres(Path dataDir, EmbeddedPostgres server, String database, String user, String password) {
        this.dataDir = dataDir;
        this.server = server;
        this.port = server.getPort();
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** {@code dataDir} must be new: it is initialised here, and removed with the caller's work directory. */
    static ExternalPostgres start(Path dataDir, String database, String user, String password) throws IOException, SQLException {
        EmbeddedPostgres server = server(dataDir, 0);
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create role " + user + " login password '" + password.replace("'", "''") + "'");
            st.execute("create database " + database + " owner " + user);
        }
        return new ExternalPostgres(dataDir, server, database, user, password);
    }

    // Not zonky's clean mode: that deletes the data directory on stop, and a stopped server must
    // come back with its data. An existing directory is started as it is, without initdb.
    private static EmbeddedPostgres server(Path dataDir, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100");
        if (port > 0) builder.setPort(port);
        return builder.start();
    }

    /** Stops the server (pg_ctl stop, fast mode: sessions are ended), keeping its data. */
    void stop() throws IOException {
        server.close();
    }

    /** Starts the stopped server again, on the same data and port. */
    void restart() throws IOException {
        server = server(dataDir, port);
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The first column of the first row, as the application's user sees it. */
    long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user, password);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Who waits for which lock, for failure messages. */
    String locks() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user, password); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select l.pid, l.locktype, l.mode, l.granted, coalesce(l.relation::regclass::text, ''),"
                        + " a.state, left(a.query, 120) from pg_locks l join pg_stat_activity a using (pid) order by l.pid")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append('\n');
                for (int i = 1; i <= 7; i++) out.append(rs.getString(i)).append(" | ");
            }
            return out.toString();
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
