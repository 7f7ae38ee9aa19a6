package io.portwatch.agent.probe;

import io.portwatch.agent.probe.tcp.EpollConnectProbe;
import io.portwatch.agent.probe.tcp.TcpConnectProbe;
import io.portwatch.agent.probe.udp.UdpProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.Selector;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.jboss.logging.Logger;

/**
 * Runs TCP and UDP probes on one daemon thread with a NIO {@link Selector}: a probe costs a channel
 * and a heap entry, not a thread, so thousands of checks need no thread pool.
 *
 * <p>At most {@code maxInFlight} probes run at once, at most {@code maxInFlightPerTarget} of them
 * against one IP address, and UDP probes of one address start no faster than its token bucket
 * allows ({@link ProbeLimits}). More wait, first come first served, without a busy target holding
 * up the others; a waiting probe's timeout starts when it starts. Deadlines are enforced by the
 * selector loop itself, never by socket timeouts (which {@code DatagramChannel} ignores).
 *
 * <p>TLS handshakes ({@link ProbeRequest#tls()}) run on the selector too; only the SSLEngine's
 * CPU-heavy delegated tasks (key exchange, certificate path validation) go to two worker threads.
 * Certificates are validated against the given {@link SSLContext}, by default the JVM's default
 * trust store: a reachability probe does not get to skip validation silently.
 *
 * <p>{@link #probe} and {@link #start} are thread-safe, never block and never fail: anything that
 * goes wrong in the agent becomes a result with state ERROR and reason LOCAL_ERROR. Two ways to get
 * the result: {@link #probe} returns a future completed on the completion executor, so dependent
 * stages never run on (or stall) the selector thread; {@link #start} calls a consumer on the selector
 * thread itself, for a caller whose handling is short and never blocks (the agent's scheduler: no
 * thread hand-off per probe). A request refused up front (engine closed, non-positive timeout)
 * completes at once, on the caller's thread.
 *
 * <p>Plain TCP connects (no TLS, payload or banner) take the {@link ConnectPath}: on Linux with Java
 * 22 or later, raw syscalls through FFM on an epoll set the same thread waits on
 * ({@link EpollPoller}); elsewhere the NIO selector, as every other probe. The limits apply alike.
 */
public final class ProbeEngine implements AutoCloseable {

    public static final int DEFAULT_MAX_IN_FLIGHT = ProbeLimits.DEFAULT_MAX_IN_FLIGHT;
    /** How long close() waits for the selector thread to fail pending probes and exit. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    /** TLS delegated tasks running at once: key exchange and path validation are CPU work. */
    public static final int TLS_WORKERS = 2;
    /** TLS tasks waiting for a worker; past this they run on the selector thread. */
    public static final int WORKER_QUEUE = 1_024;
    private static final Logger LOG = Logger.getLogger(ProbeEngine.class);

    private final SelectorLoop loop;
    private final Thread thread;
    /** The TLS workers this engine made for itself; null when they were given. */
    private final ThreadPoolExecutor ownWorkers;
    private final SSLContext tls;
    private final Executor completions;
    private final ConnectPath connectPath;
    private final CompletionBatch batch;

    public ProbeEngine() {
        this(DEFAULT_MAX_IN_FLIGHT);
    }

    public ProbeEngine(int maxInFlight) {
        this(maxInFlight, ForkJoinPool.commonPool());
    }

    /**
     * @param maxInFlight probes running at once (at least 1); other limits are the defaults
     * @param completionExecutor runs the completion of returned futures (and so their dependent
     *     stages); if it rejects a task the future is completed on the selector thread
     */
    public ProbeEngine(int maxInFlight, Executor completionExecutor) {
        this(ProbeLimits.global(maxInFlight), defaultTls(), completionExecutor);
    }

    /** The given limits, the JVM's default trust store, completions on the common pool. */
    public ProbeEngine(ProbeLimits limits) {
        this(limits, defaultTls(), ForkJoinPool.commonPool());
    }

    /**
     * @param limits global and per-target limits
     * @param tls the context TLS probes use; its trust managers decide which certificates pass
     * @param completionExecutor as in {@link #ProbeEngine(int, Executor)}
     */
    public ProbeEngine(ProbeLimits limits, SSLContext tls, Executor completionExecutor) {
        this(limits, tls, completionExecutor, ConnectPath.detect());
    }

    /**
     * As {@link #ProbeEngine(ProbeLimits, SSLContext, Executor)} with the connect path chosen:
     * {@link ConnectPath#NIO} always works; {@link ConnectPath#FFM_EPOLL} falls back to NIO (with a
     * warning) where it cannot run. {@link #connectPath()} says which one runs.
     */
    public ProbeEngine(ProbeLimits limits, SSLContext tls, Executor completionExecutor, ConnectPath path) {
        this(limits, tls, completionExecutor, path, null);
    }

    /**
     * As {@link #ProbeEngine(ProbeLimits, SSLContext, Executor, ConnectPath)} with the executor of
     * the TLS handshakes' delegated tasks given: the running agent passes a view of Quarkus' worker
     * pool bounded like the engine's own ({@link #TLS_WORKERS} at once, {@link #WORKER_QUEUE}
     * waiting; a task it rejects runs on the selector thread). Null: two daemon threads of the
     * engine's own. A given executor is not shut down by {@link #close}.
     */
    public ProbeEngine(ProbeLimits limits, SSLContext tls, Executor completionExecutor, ConnectPath path,
            Executor tlsWorkers) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(path, "path");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.completions = Objects.requireNonNull(completionExecutor, "completionExecutor");
        if (tlsWorkers == null) {
            ownWorkers = new ThreadPoolExecutor(TLS_WORKERS, TLS_WORKERS, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(WORKER_QUEUE), r -> {
                        Thread t = new Thread(r, "portwatch-probe-tls");
                        t.setDaemon(true);
                        return t;
                    });
            ownWorkers.allowCoreThreadTimeOut(true);
        } else {
            ownWorkers = null;
        }
        Executor workers = tlsWorkers == null ? ownWorkers : tlsWorkers;
        EpollPoller epoll = null;
        if (path == ConnectPath.FFM_EPOLL) {
            if (!NativeSyscalls.available()) {
                LOG.warnf("connect path ffm-epoll cannot run here (%s): using nio", NativeSyscalls.UNAVAILABLE);
            } else {
                try {
                    epoll = EpollPoller.open();
                } catch (IOException | RuntimeException e) {
                    LOG.warnf(e, "connect path ffm-epoll failed to start: using nio");
                }
            }
        }
        connectPath = epoll == null ? ConnectPath.NIO : ConnectPath.FFM_EPOLL;
        try {
            batch = new CompletionBatch(completions);
            loop = new SelectorLoop(Selector.open(), epoll, limits, workers, batch::flush);
        } catch (IOException e) {
            if (ownWorkers != null) {
                ownWorkers.shutdown();
            }
            if (epoll != null) {
                epoll.close();
            }
            throw new UncheckedIOException("cannot open a selector for probing", e);
        }
        // A dedicated thread, not a pool's: the loop never returns (it blocks in select/epoll_wait
        // between events), owns every channel and the admission queue unsynchronised, and each probe's
        // latency is measured by it, so a pool task queued behind others would add to every latency.
        thread = new Thread(loop, "portwatch-probe-selector");
        thread.setDaemon(true); // an agent that exits must not wait for probes in flight
        batch.owner(thread);
        thread.start();
    }

    /** The context TLS probes validate certificates with. */
    public SSLContext tls() {
        return tls;
    }

    /** The JVM's default SSLContext (default trust store, {@code javax.net.ssl.trustStore}). */
    public static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }

    /**
     * Starts a probe, or queues it while the limits say wait.
     *
     * @param request what to probe, with what to send and how to validate; must not be null
     * @return a future that always completes normally with a result, on the completion executor
     */
    public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
        CompletableFuture<ProbeResult> future = new CompletableFuture<>();
        start(request, result -> batch.add(future, result));
        return future;
    }

    /**
     * Starts a probe, or queues it while the limits say wait, and calls {@code onResult} exactly once
     * with its result. The call comes from the selector thread (from the caller's thread when the
     * request is refused up front): {@code onResult} must return quickly and never block, since every
     * other probe waits for it. An exception it throws is logged and otherwise ignored.
     *
     * @param request what to probe; must not be null
     * @param onResult receives the result; must not be null
     */
    public void start(ProbeRequest request, Consumer<ProbeResult> onResult) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onResult, "onResult");
        InFlightProbe probe;
        try {
            if (request.timeout().isNegative() || request.timeout().isZero()) {
                onResult.accept(InFlightProbe.notStarted(request, "timeout must be positive: " + request.timeout()));
                return;
            }
            request.timeout().toNanos(); // fails now, not on the selector thread, if too large
            if (loop.isStopping()) {
                onResult.accept(InFlightProbe.notStarted(request, "probe engine closed"));
                return;
            }
            probe = switch (request.protocol()) {
                case TCP -> connectPath == ConnectPath.FFM_EPOLL && !request.exchanges()
                        ? new EpollConnectProbe(request)
                        : new TcpConnectProbe(request, tls);
                case UDP -> new UdpProbe(request);
            };
        } catch (RuntimeException e) {
            onResult.accept(InFlightProbe.notStarted(request, IoErrorClassifier.describe(e)));
            return;
        }
        probe.onResult(onResult);
        loop.submit(probe);
    }

    /** {@link #probe(ProbeRequest)} with {@code validator} for UDP replies (null: any reply). */
    public CompletableFuture<ProbeResult> probe(ProbeRequest request, ReplyValidator validator) {
        Objects.requireNonNull(request, "request");
        return probe(request.withValidator(validator));
    }

    /** Probes running now (sampled; at most {@link #maxInFlight()}). */
    public int inFlight() {
        return loop.inFlight();
    }

    /** Probes running now against one IP address (sampled; at most the per-target limit). */
    public int inFlight(InetAddress target) {
        return loop.inFlight(target);
    }

    /**
     * The interval between ICMP answers learned for {@code target} once its UDP silences looked
     * like its rate limit (one port unreachable per this many nanoseconds), empty before. Any thread.
     */
    public OptionalLong learnedIcmpIntervalNanos(InetAddress target) {
        long interval = loop.learnedIcmpIntervalNanos(target);
        return interval > 0 ? OptionalLong.of(interval) : OptionalLong.empty();
    }

    /** Probes waiting for a slot. */
    public int queued() {
        return loop.queued();
    }

    /** How plain TCP connects are made in this engine. */
    public ConnectPath connectPath() {
        return connectPath;
    }

    public int maxInFlight() {
        return loop.maxInFlight();
    }

    public boolean isClosed() {
        return loop.isStopping();
    }

    /**
     * Stops the engine: every pending probe, running or queued, completes with ERROR /
     * LOCAL_ERROR, all channels and the selector are closed. Later probes complete the same way at
     * once. Waits (up to 5 s) for the selector thread unless called on it. Idempotent.
     */
    @Override
    public void close() {
        loop.stop();
        if (ownWorkers != null) {
            ownWorkers.shutdownNow();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
