package io.portwatch.agent.probe;

import io.portwatch.core.check.PortState;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One probe while the selector loop drives it: subclasses own a channel and react to readiness, to
 * their own wake-ups (e.g. UDP retransmits) and to the deadline. Every method runs on the selector
 * thread, so nothing here is locked. The class is public only so that the protocol packages
 * ({@code probe.tcp}, {@code probe.udp}) can extend it; callers use {@link ProbeEngine}.
 *
 * <p>Contract for subclasses: end every path with exactly one {@code finish...} call (later calls
 * are ignored); if {@link #onDeadline} returns without finishing, the base finishes with ERROR so a
 * probe can never hang.
 */
public abstract class InFlightProbe {

    private static final Logger LOG = Logger.getLogger(InFlightProbe.class);

    private final ProbeRequest request;
    /** Set by the engine before the probe is submitted; called exactly once. */
    private Consumer<ProbeResult> onResult;
    private SelectorLoop loop;
    private Instant startedAt;
    private long startNanos;
    private long deadlineNanos;
    private boolean done;
    /** Stopped by {@link #reprobe} and queued again; {@link #begin} starts it afresh. */
    private boolean requeued;

    // Bookkeeping owned by DeadlineQueue.
    long wakeAtNanos;
    boolean scheduled;
    // Arrival order, owned by AdmissionQueue.
    long arrival;

    protected InFlightProbe(ProbeRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    /** Opens the channel, starts the connect or first send and registers with {@link #selector()}. */
    protected abstract void start() throws IOException;

    /** The channel is ready for the operations it registered for. */
    protected abstract void onReady(SelectionKey key) throws IOException;

    /** The deadline passed without an answer: finish with the protocol's "silence" result. */
    protected abstract void onDeadline(long nowNanos) throws IOException;

    /** FFM connect path only: the probe's socket is ready in the loop's epoll set ({@link EpollPoller}). */
    protected void onEpollEvent(int events) throws IOException {
        throw new IllegalStateException("not an epoll probe");
    }

    /** A wake-up asked for with {@link #wakeAt} before the deadline came. */
    protected void onWake(long nowNanos) throws IOException {
    }

    /** Closes the channel. Called exactly once, when the probe finishes; must not throw. */
    protected abstract void release();

    // ---- for subclasses -------------------------------------------------------------------

    protected final ProbeRequest request() {
        return request;
    }

    protected final Selector selector() {
        return loop.selector();
    }

    /** The loop's epoll set; only on the FFM connect path ({@link ConnectPath#FFM_EPOLL}). */
    protected final EpollPoller epoll() {
        return loop.epoll();
    }

    /** A buffer shared by all probes of the loop for reading; its content is gone after return. */
    protected final ByteBuffer receiveBuffer() {
        return loop.receiveBuffer();
    }

    protected final long startNanos() {
        return startNanos;
    }

    protected final long deadlineNanos() {
        return deadlineNanos;
    }

    protected final boolean isDone() {
        return done;
    }

    /**
     * Runs {@code work} off the selector thread (CPU-heavy steps such as TLS certificate checks must
     * not stall every other probe), then {@code then} back on the selector thread unless the probe
     * finished meanwhile. A failure of either ends the probe as the agent's own error.
     */
    protected final void offload(Runnable work, Runnable then) {
        loop.offload(this, work, then);
    }

    /** Asks for {@link #onWake} at {@code atNanos}; never later than the deadline. */
    protected final void wakeAt(long atNanos) {
        if (!done) {
            loop.deadlines().schedule(this, atNanos - deadlineNanos < 0 ? atNanos : deadlineNanos);
        }
    }

    /** What a silence until the deadline means (UDP): see {@link IcmpBudget}. */
    protected enum Silence {
        /** Conclusive: finish as silence. */
        NO_REPLY,
        /** The target's ICMP rate limit may have hidden the answer: call {@link #reprobe()}. */
        REPROBE,
        /** Still inconclusive after every re-probe allowed: finish as {@link ProbeReason#ICMP_RATE_LIMITED}. */
        RATE_LIMITED
    }

    /** Judges a UDP silence by what the target's other probes got back; see {@link IcmpBudget}. */
    protected final Silence judgeSilence(long lastSendNanos, int reprobes, long nowNanos) {
        return switch (loop.judgeSilence(this, lastSendNanos, reprobes, nowNanos)) {
            case NO_REPLY -> Silence.NO_REPLY;
            case REPROBE -> Silence.REPROBE;
            case RATE_LIMITED -> Silence.RATE_LIMITED;
        };
    }

    /** The learned interval between the target's ICMP answers, for details. */
    protected final long icmpIntervalMillis() {
        return loop.icmpIntervalNanos(this) / 1_000_000;
    }

    /**
     * Stops this attempt (its channel is released) and queues the probe again, behind the probes
     * waiting now; {@link #start} runs again when the limits let it. The subclass resets its own
     * per-attempt state first. The result keeps the first attempt's start time.
     */
    protected final void reprobe() {
        if (done) {
            return;
        }
        try {
            release();
        } catch (RuntimeException ignored) {
            // A channel that fails to close is gone anyway; the next attempt opens a new one.
        }
        requeued = true;
        loop.reprobe(this);
    }

    /** Ends the probe; latency is measured from the (last attempt's) start to {@code atNanos}. */
    protected final void finish(PortState state, ProbeReason reason, long atNanos, String detail) {
        if (done) {
            return;
        }
        done = true;
        try {
            release();
        } catch (RuntimeException ignored) {
            // The result is already known; failing to close must not replace it.
        }
        Duration latency = Duration.ofNanos(Math.max(0, atNanos - startNanos));
        loop.completed(this, new ProbeResult(state, reason, request.address(), latency, startedAt, detail));
    }

    /** Ends the probe with the state and reason {@link IoErrorClassifier} gives for {@code e}. */
    protected final void finishWithError(IOException e, long atNanos) {
        IoErrorClassifier.Verdict v = IoErrorClassifier.classify(request.protocol(), e);
        finish(v.state(), v.reason(), atNanos, IoErrorClassifier.describe(e));
    }

    /** The timeout in whole milliseconds, for details such as "no reply within 300 ms". */
    protected final long timeoutMillis() {
        return request.timeout().toMillis();
    }

    protected static ProtocolFamily familyOf(InetSocketAddress address) {
        // An explicit family avoids dual-stack sockets and IPv4-mapped addresses for IPv4 targets.
        return address.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET;
    }

    // ---- for the loop ---------------------------------------------------------------------

    final void onResult(Consumer<ProbeResult> onResult) {
        this.onResult = onResult;
    }

    /** Hands the result over. A failing consumer must not take the selector loop down with it. */
    final void deliver(ProbeResult result) {
        try {
            onResult.accept(result);
        } catch (RuntimeException e) {
            LOG.errorf(e, "the consumer of a probe result of %s failed", request.address());
        }
    }

    /** Called when a slot is free: the timeout starts now, not when the request was queued. */
    final void begin(SelectorLoop loop) throws IOException {
        this.loop = loop;
        if (!requeued) {
            this.startedAt = Instant.now();
        }
        requeued = false;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + request.timeout().toNanos();
        loop.deadlines().schedule(this, deadlineNanos);
        start();
    }

    final void timerFired(long nowNanos) throws IOException {
        if (nowNanos - deadlineNanos >= 0) {
            onDeadline(nowNanos);
            if (requeued) {
                return; // onDeadline chose to probe again
            }
            finish(PortState.ERROR, ProbeReason.LOCAL_ERROR, nowNanos, "probe did not finish at its deadline");
            return;
        }
        onWake(nowNanos);
        if (!done && !scheduled) {
            wakeAt(deadlineNanos);
        }
    }

    /** Any failure not handled by the subclass: the agent failed, nothing is known about the port. */
    final void failLocally(Throwable e) {
        finish(PortState.ERROR, ProbeReason.LOCAL_ERROR, System.nanoTime(), IoErrorClassifier.describe(e));
    }

    /** The result for a request that never started (engine closed, invalid request). */
    static ProbeResult notStarted(ProbeRequest request, String detail) {
        return new ProbeResult(PortState.ERROR, ProbeReason.LOCAL_ERROR,
                request.address(), Duration.ZERO, Instant.now(), detail);
    }
}
