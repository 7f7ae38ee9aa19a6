package io.portwatch.agent.probe;

import io.portwatch.agent.probe.tcp.TcpConnectProbe;
import io.portwatch.agent.probe.udp.UdpProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Runs TCP and UDP probes on one daemon thread with a NIO {@link Selector}: a probe costs a channel
 * and a heap entry, not a thread, so thousands of checks need no thread pool.
 *
 * <p>At most {@code maxInFlight} probes run at once; more wait in a FIFO queue and their timeout
 * starts when they start (measured on loopback: beyond ~128 in flight adds latency, not throughput).
 * Deadlines are enforced by the selector loop itself, never by socket timeouts (which
 * {@code DatagramChannel} ignores).
 *
 * <p>{@link #probe} is thread-safe, never blocks and never completes exceptionally: anything that
 * goes wrong in the agent becomes a result with state ERROR and reason LOCAL_ERROR. Futures are
 * completed on the completion executor, so dependent stages never run on (or stall) the selector
 * thread; a request refused up front (engine closed, non-positive timeout) is returned completed.
 */
public final class ProbeEngine implements AutoCloseable {

    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    /** How long close() waits for the selector thread to fail pending probes and exit. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final SelectorLoop loop;
    private final Thread thread;

    public ProbeEngine() {
        this(DEFAULT_MAX_IN_FLIGHT);
    }

    public ProbeEngine(int maxInFlight) {
        this(maxInFlight, ForkJoinPool.commonPool());
    }

    /**
     * @param maxInFlight probes running at once (at least 1)
     * @param completionExecutor runs the completion of returned futures (and so their dependent
     *     stages); if it rejects a task the future is completed on the selector thread
     */
    public ProbeEngine(int maxInFlight, Executor completionExecutor) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        Objects.requireNonNull(completionExecutor, "completionExecutor");
        try {
            loop = new SelectorLoop(Selector.open(), maxInFlight, completionExecutor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for probing", e);
        }
        thread = new Thread(loop, "portwatch-probe-selector");
        thread.setDaemon(true); // an agent that exits must not wait for probes in flight
        thread.start();
    }

    /** Probes with {@link ReplyValidator#ANY}: for UDP, any datagram received is a reply. */
    public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
        return probe(request, ReplyValidator.ANY);
    }

    /**
     * Starts a probe, or queues it when {@link #maxInFlight()} probes are running.
     *
     * @param request what to probe; must not be null
     * @param validator for UDP, decides which datagrams count as a reply (null means
     *     {@link ReplyValidator#ANY}); ignored for TCP
     * @return a future that always completes normally with a result
     */
    public CompletableFuture<ProbeResult> probe(ProbeRequest request, ReplyValidator validator) {
        Objects.requireNonNull(request, "request");
        try {
            if (request.timeout().isNegative() || request.timeout().isZero()) {
                return failed(request, "timeout must be positive: " + request.timeout());
            }
            request.timeout().toNanos(); // fails now, not on the selector thread, if too large
            if (loop.isStopping()) {
                return failed(request, "probe engine closed");
            }
            InFlightProbe probe = switch (request.protocol()) {
                case TCP -> new TcpConnectProbe(request);
                case UDP -> new UdpProbe(request, validator == null ? ReplyValidator.ANY : validator);
            };
            loop.submit(probe);
            return probe.future();
        } catch (RuntimeException e) {
            return failed(request, IoErrorClassifier.describe(e));
        }
    }

    /** Probes running now (sampled; at most {@link #maxInFlight()}). */
    public int inFlight() {
        return loop.inFlight();
    }

    /** Probes waiting for a slot. */
    public int queued() {
        return loop.queued();
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
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<ProbeResult> failed(ProbeRequest request, String detail) {
        return CompletableFuture.completedFuture(InFlightProbe.notStarted(request, detail));
    }
}
