package io.portwatch.agent.config;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Calls back soon after anything in a check directory changes, so that an edit is applied in well
 * under a second instead of at the next periodic scan (which stays as the fallback: a watch can
 * miss changes, e.g. on network file systems).
 *
 * <p>Any event in the directory counts, hidden names included: a Kubernetes ConfigMap mount
 * updates its files by swapping the {@code ..data} symlink, which shows only as events on
 * {@code ..data} itself. The callback re-reads the whole directory, so which file changed does
 * not matter. Events are debounced: an editor's or kubelet's burst of writes is one callback.
 * A directory that is missing or removed is watched again once it (re)appears.
 */
public final class CheckDirectoryWatcher implements AutoCloseable {

    static final Duration DEBOUNCE = Duration.ofMillis(300);
    /** A directory that never stops changing still gets a callback this often. */
    private static final Duration MAX_DELAY = Duration.ofSeconds(3);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(CheckDirectoryWatcher.class);

    private final Path dir;
    private final Duration debounce;
    private final Duration retry;
    private final Runnable onChange;
    private final WatchService watchService;
    /** Ends when the watch loop returns. */
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The watch loop's task, cancelled (interrupted) by close(). */
    private volatile Future<?> task;
    private volatile boolean closed;

    private CheckDirectoryWatcher(Path dir, Duration debounce, Duration retry, Runnable onChange) throws IOException {
        this.dir = dir;
        this.debounce = debounce;
        this.retry = retry;
        this.onChange = onChange;
        this.watchService = FileSystems.getDefault().newWatchService();
    }

    /**
     * Starts watching {@code dir}; the watch loop is one long task on {@code executor} (the running
     * agent's: Quarkus' worker pool), and {@code onChange} runs on it, never twice at once. Throws
     * when the system gives no watch service (e.g. inotify limits reached).
     */
    public static CheckDirectoryWatcher start(Path dir, ExecutorService executor, Runnable onChange)
            throws IOException {
        return start(dir, DEBOUNCE, RETRY, executor, onChange);
    }

    /** As {@link #start(Path, ExecutorService, Runnable)}, on a daemon thread of its own (tests). */
    static CheckDirectoryWatcher start(Path dir, Duration debounce, Duration retry, Runnable onChange)
            throws IOException {
        ExecutorService own = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "check-dir-watcher");
            t.setDaemon(true);
            return t;
        });
        CheckDirectoryWatcher watcher = start(dir, debounce, retry, own, onChange);
        own.shutdown(); // ends with the watch loop
        return watcher;
    }

    private static CheckDirectoryWatcher start(Path dir, Duration debounce, Duration retry, ExecutorService executor,
            Runnable onChange) throws IOException {
        CheckDirectoryWatcher watcher = new CheckDirectoryWatcher(dir, debounce, retry, onChange);
        // Registered before returning: a change made right after start() is not missed.
        WatchKey key = watcher.register();
        watcher.task = executor.submit(() -> watcher.run(key));
        return watcher;
    }

    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service of " + dir, e);
        }
        task.cancel(true); // interrupts the retry sleep
        try {
            ended.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code key} is null when the directory could not be watched at the start. */
    private void run(WatchKey key) {
        try {
            watch(key);
        } finally {
            ended.countDown();
        }
    }

    private void watch(WatchKey key) {
        boolean missed = key == null;
        try {
            while (!closed) {
                if (key == null || !key.isValid()) {
                    key = register();
                    if (key == null) {
                        missed = true;
                        Thread.sleep(retry.toMillis());
                        continue;
                    }
                    if (missed) {
                        // The directory (re)appeared: what it holds now was never seen.
                        notifyChange();
                    }
                }
                drain(watchService.take());
                long deadline = System.nanoTime() + MAX_DELAY.toNanos();
                WatchKey more;
                while (System.nanoTime() < deadline
                        && (more = watchService.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                missed = !key.isValid();
                notifyChange();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close(): nothing left to do.
        }
    }

    /** The key of {@code dir}, or null when it cannot be watched (yet). */
    private WatchKey register() {
        try {
            return dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        } catch (IOException e) {
            LOG.debugf("cannot watch %s (%s); retrying in %s", dir, e, retry);
            return null;
        }
    }

    /** Takes a key's events (which one does not matter) and re-arms it. */
    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    private void notifyChange() {
        if (closed) {
            return;
        }
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.error("reloading after a change in " + dir + " failed", e);
        }
    }
}
