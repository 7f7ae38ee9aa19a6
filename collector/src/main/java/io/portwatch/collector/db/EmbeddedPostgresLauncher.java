package io.portwatch.collector.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts PostgreSQL from zonky's binaries, those of the platform it runs on ({@link
 * PostgresPlatform}), in a persistent data directory. Survives a kill -9 of
 * the previous collector: its orphaned postmaster is stopped and a stale {@code postmaster.pid}
 * removed before the new start.
 */
public final class EmbeddedPostgresLauncher {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresLauncher.class);
    /** zonky holds a file lock on this file while its JVM runs the server. */
    private static final String ZONKY_LOCK = "epg-lock";
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

    private EmbeddedPostgresLauncher() {}

    /** A running embedded server: where to connect, and how to stop it. */
    public record Running(EmbeddedPostgres server, String jdbcUrl, String username) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Starts a server in {@code dataDir} (created and initialised when empty). {@code clean} wipes
     * the directory first, for tests.
     */
    public static Running start(Path dataDir, boolean clean) {
        return start(dataDir, clean, Map.of());
    }

    /**
     * As {@link #start(Path, boolean)}, with these server settings on top of the ones this class
     * sets ({@link EmbeddedPostgresSettings}).
     */
    public static Running start(Path dataDir, boolean clean, Map<String, String> settings) {
        PostgresPlatform platform = PostgresPlatform.current();
        requireBinaries(platform);
        try {
            Files.createDirectories(dataDir);
            if (!clean) {
                recoverFromUncleanStop(dataDir);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // Our choice of binaries rather than zonky's own guess, which fails without
                    // naming the platform or the way out.
                    .setPgBinaryResolver((system, machine) -> binaries(platform))
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(clean)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (!clean) {
                // zonky defaults to fsync off and asynchronous commit, fine for throwaway test
                // data but not for history that agents were told is stored (acked).
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres server = builder.start();
            LOG.infof("embedded PostgreSQL on 127.0.0.1:%d, data in %s", server.getPort(), dataDir.toAbsolutePath());
            if (!settings.isEmpty()) {
                LOG.infof("embedded PostgreSQL settings: %s", settings);
            }
            return new Running(server, server.getJdbcUrl("postgres", "postgres"), "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir.toAbsolutePath(), e);
        }
    }

    private static void requireBinaries(PostgresPlatform platform) {
        if (EmbeddedPostgresLauncher.class.getClassLoader().getResource(platform.resource()) == null) {
            throw new PostgresPlatform.Unsupported("the embedded PostgreSQL for " + platform.label()
                    + " (" + platform.resource() + " from io.zonky.test.postgres:" + platform.artifact()
                    + ") is not on the class path; use an external PostgreSQL: set " + PostgresPlatform.EXTERNAL_DATABASE);
        }
    }

    private static InputStream binaries(PostgresPlatform platform) throws IOException {
        InputStream in = EmbeddedPostgresLauncher.class.getClassLoader().getResourceAsStream(platform.resource());
        if (in == null) {
            throw new IOException("no " + platform.resource() + " on the class path");
        }
        return in;
    }

    /**
     * After a kill -9 the postmaster outlives its JVM and keeps the data directory locked. When no
     * live JVM holds zonky's lock, such a postmaster is an orphan: stop it and clear its pid file.
     */
    static void recoverFromUncleanStop(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        Path lockPath = dataDir.resolve(ZONKY_LOCK);
        try (RandomAccessFile raf = new RandomAccessFile(lockPath.toFile(), "rw");
                FileLock lock = raf.getChannel().tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another process is running PostgreSQL in " + dataDir.toAbsolutePath()
                        + " (it holds " + lockPath + "); stop it or choose another data directory");
            }
            Optional<ProcessHandle> postmaster = postmasterOf(pidFile);
            if (postmaster.isPresent()) {
                LOG.warnf("stopping orphaned PostgreSQL (pid %d) left by an unclean stop", postmaster.get().pid());
                postmaster.get().destroy(); // SIGTERM: smart shutdown, its clients are gone
                try {
                    postmaster.get().onExit().get(ORPHAN_STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("orphaned PostgreSQL pid " + postmaster.get().pid()
                            + " did not stop within " + ORPHAN_STOP_WAIT.toSeconds() + "s", e);
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new IllegalStateException("this JVM already runs PostgreSQL in " + dataDir.toAbsolutePath(), e);
        }
    }

    /**
     * The port of a server that another process (a running collector) runs in {@code dataDir}:
     * present when zonky's lock on the directory is held and {@code postmaster.pid} names a port.
     * Commands such as {@code keys create} connect to it instead of starting a second server.
     */
    public static Optional<Integer> portOfRunningServer(Path dataDir) {
        Path pidFile = dataDir.resolve(PID_FILE);
        Path lockPath = dataDir.resolve(ZONKY_LOCK);
        if (!Files.exists(pidFile) || !Files.exists(lockPath)) {
            return Optional.empty();
        }
        try (RandomAccessFile raf = new RandomAccessFile(lockPath.toFile(), "rw")) {
            boolean held;
            try (FileLock lock = raf.getChannel().tryLock()) {
                held = lock == null;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                held = true; // this JVM runs it (tests)
            }
            if (!held) {
                return Optional.empty(); // an orphan at most: start() recovers from it
            }
            // postmaster.pid: pid, data directory, start time, port, ...
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.size() < 4 ? Optional.empty() : Optional.of(Integer.parseInt(lines.get(3).trim()));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot tell whether PostgreSQL runs in " + dataDir.toAbsolutePath(), e);
        }
    }

    /** The live process named on the pid file's first line, if it is a postgres server. */
    private static Optional<ProcessHandle> postmasterOf(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }
}
