package io.portwatch.agent.probe;

import io.portwatch.core.check.PortState;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The selector thread's work: take in submissions, start waiting probes as far as the global limit
 * and the per-target limits and pacing ({@link AdmissionQueue}) allow, wait for readiness or the
 * nearest wake-up time, dispatch, repeat. One thread drives every probe, so probe state needs no
 * locks; other threads only touch the submission and callback queues, the counters and
 * {@link #stop()}.
 */
final class SelectorLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(SelectorLoop.class);
    /** Large enough for any UDP datagram over IPv4 or IPv6 without jumbograms. */
    private static final int RECEIVE_BUFFER_BYTES = 65_536;

    private final Selector selector;
    /** The FFM connect path's epoll set, or null on the NIO path. */
    private final EpollPoller epoll;
    private final int maxInFlight;
    private final Executor workers;
    /** Hands the results of a pass to the completion executor ({@link CompletionBatch}). */
    private final Runnable flushResults;
    private final AdmissionQueue admission;
    private final Queue<InFlightProbe> submissions = new ConcurrentLinkedQueue<>();
    /** Work handed back to the selector thread by {@link #offload}. */
    private final Queue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final Set<InFlightProbe> active = new HashSet<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
    private volatile boolean stopping;
    private volatile int inFlight;

    SelectorLoop(Selector selector, EpollPoller epoll, ProbeLimits limits, Executor workers, Runnable flushResults) {
        this.flushResults = flushResults;
        this.selector = selector;
        this.epoll = epoll;
        this.maxInFlight = limits.maxInFlight();
        this.workers = workers;
        this.admission = new AdmissionQueue(limits);
    }

    // ---- any thread -----------------------------------------------------------------------

    void submit(InFlightProbe probe) {
        queued.incrementAndGet();
        submissions.add(probe);
        if (stopping) {
            // The loop may already have drained the queue for the last time: fail it here.
            failQueued("probe engine closed");
        } else {
            wakeUp();
        }
    }

    private void wakeUp() {
        if (wakeupPending.compareAndSet(false, true)) {
            // One wakeup per loop iteration is enough; a burst of submissions must not cost one each.
            wakeBoth();
        }
    }

    void stop() {
        stopping = true;
        wakeBoth();
    }

    /** The loop blocks in the selector or in epoll; which one may change before it blocks: wake both. */
    private void wakeBoth() {
        selector.wakeup();
        if (epoll != null) {
            epoll.wake();
        }
    }

    boolean isStopping() {
        return stopping;
    }

    int inFlight() {
        return inFlight;
    }

    int queued() {
        return queued.get();
    }

    int maxInFlight() {
        return maxInFlight;
    }

    /** Probes running now against one IP address (sampled). */
    int inFlight(InetAddress target) {
        return admission.inFlight(target);
    }

    /** Any thread: see {@link AdmissionQueue#learnedIcmpIntervalNanos}. */
    long learnedIcmpIntervalNanos(InetAddress target) {
        return admission.learnedIcmpIntervalNanos(target);
    }

    // ---- selector thread ------------------------------------------------------------------

    @Override
    public void run() {
        String why = "probe engine closed";
        try {
            while (!stopping) {
                wakeupPending.set(false);
                runCallbacks();
                takeSubmissions();
                admit();
                flushResults.run(); // before blocking: no result waits for the next readiness
                select();
                fireDueTimers();
                flushResults.run();
            }
        } catch (Throwable t) {
            why = "probe engine failed: " + t;
            LOG.error("probe selector loop failed; failing all probes", t);
        } finally {
            stopping = true;
            shutdown(why);
        }
    }

    Selector selector() {
        return selector;
    }

    EpollPoller epoll() {
        return epoll;
    }

    DeadlineQueue deadlines() {
        return deadlines;
    }

    ByteBuffer receiveBuffer() {
        return receiveBuffer;
    }

    /** Called by {@link InFlightProbe#finish}: frees the slots and hands the result over. */
    void completed(InFlightProbe probe, ProbeResult result) {
        deadlines.cancel(probe);
        if (active.remove(probe)) {
            admission.finished(probe, result, System.nanoTime());
        }
        inFlight = active.size();
        probe.deliver(result);
    }

    /** What a UDP probe's silence means, given what its target's ICMP answers taught. */
    IcmpBudget.Silence judgeSilence(InFlightProbe probe, long lastSendNanos, int reprobes, long now) {
        return admission.budgetOf(probe, now).silence(lastSendNanos, reprobes, probe.request().timeout().toNanos(), now);
    }

    long icmpIntervalNanos(InFlightProbe probe) {
        return admission.budgetOf(probe, System.nanoTime()).intervalNanos();
    }

    /** Called by {@link InFlightProbe#reprobe}: frees the probe's slot and queues it again. */
    void reprobe(InFlightProbe probe) {
        deadlines.cancel(probe);
        long now = System.nanoTime();
        if (active.remove(probe)) {
            admission.finished(probe, null, now);
        }
        inFlight = active.size();
        queued.incrementAndGet();
        admission.requeue(probe, now);
    }

    /** See {@link InFlightProbe#offload}; a full or closed worker pool means running it here. */
    void offload(InFlightProbe probe, Runnable work, Runnable then) {
        Runnable resume = () -> {
            if (!probe.isDone()) {
                try {
                    then.run();
                } catch (Exception e) {
                    probe.failLocally(e);
                }
            }
        };
        try {
            workers.execute(() -> {
                Runnable next = resume;
                try {
                    work.run();
                } catch (RuntimeException e) {
                    next = () -> probe.failLocally(e);
                }
                callbacks.add(next);
                wakeUp();
            });
        } catch (RejectedExecutionException e) {
            work.run();
            resume.run();
        }
    }

    private void runCallbacks() {
        for (Runnable r; (r = callbacks.poll()) != null; ) {
            r.run();
        }
    }

    private void takeSubmissions() {
        long now = System.nanoTime();
        for (InFlightProbe probe; (probe = submissions.poll()) != null; ) {
            admission.add(probe, now);
        }
    }

    private void admit() {
        // At most maxInFlight starts per pass: probes that fail at once (no file descriptors) free
        // their slot at once, and an unbounded pass would then hold up every other probe's timers.
        long now = System.nanoTime();
        for (int started = 0; started < maxInFlight && inFlight < maxInFlight; started++) {
            InFlightProbe probe = admission.next(now);
            if (probe == null) {
                return;
            }
            queued.decrementAndGet();
            active.add(probe);
            inFlight = active.size();
            try {
                probe.begin(this);
            } catch (Exception e) {
                probe.failLocally(e);
            }
        }
    }

    private void select() throws IOException {
        long now = System.nanoTime();
        long waitNanos = deadlines.nanosUntilNext(now);
        boolean admissible = false;
        if (inFlight < maxInFlight) {
            waitNanos = Math.min(waitNanos, admission.nanosUntilToken(now));
            admissible = admission.hasReady(now);
        }
        admissible |= !submissions.isEmpty() || !callbacks.isEmpty();
        if (epoll != null && selectEpoll(admissible ? 0 : waitNanos)) {
            return;
        }
        if (waitNanos == 0 || admissible) {
            selector.selectNow(this::dispatch);
        } else if (waitNanos == Long.MAX_VALUE) {
            selector.select(this::dispatch);
        } else {
            selector.select(this::dispatch, waitMillis(waitNanos));
        }
    }

    /**
     * The FFM connect path's wait (see {@link EpollPoller}). While every probe in flight is an epoll
     * connect, blocks in epoll_wait and returns true. Otherwise takes the ready connects without
     * waiting, arms the bridge so that a connect finishing later wakes the selector, and returns false
     * for the caller to block in the selector.
     */
    private boolean selectEpoll(long waitNanos) throws IOException {
        if (active.size() == epoll.registered()) {
            if (!selector.keys().isEmpty()) {
                // Only cancelled keys of finished NIO probes: a select closes their channels' fds.
                selector.selectNow(this::dispatch);
            }
            epoll.poll(waitMillis(waitNanos), this::dispatchEpoll);
            return true;
        }
        if (epoll.poll(0, this::dispatchEpoll) > 0) {
            // Slots may have come free: admit before blocking anywhere. The NIO probes get their
            // turn too, or a steady stream of connects would starve them (a UDP reply left unread
            // past its deadline would become a false silence).
            selector.selectNow(this::dispatch);
            return true;
        }
        if (epoll.registered() > 0) {
            epoll.armBridge(selector);
        }
        return false;
    }

    /**
     * A wait in whole milliseconds for epoll_wait and the selector: -1 forever, else rounded up
     * (waking a millisecond early would only spin once more before the deadline).
     */
    private static int waitMillis(long waitNanos) {
        if (waitNanos == Long.MAX_VALUE) {
            return -1;
        }
        return (int) Math.min(waitNanos == 0 ? 0 : waitNanos / 1_000_000 + 1, Integer.MAX_VALUE);
    }

    private void dispatchEpoll(InFlightProbe probe, int events) {
        if (probe.isDone()) {
            return;
        }
        try {
            probe.onEpollEvent(events);
        } catch (Exception e) {
            probe.failLocally(e);
        }
    }

    private void dispatch(SelectionKey key) {
        InFlightProbe probe = (InFlightProbe) key.attachment();
        if (probe == null || probe.isDone() || !key.isValid()) {
            return;
        }
        try {
            probe.onReady(key);
        } catch (Exception e) {
            probe.failLocally(e);
        }
    }

    private void fireDueTimers() {
        long now = System.nanoTime();
        for (InFlightProbe probe; (probe = deadlines.pollDue(now)) != null; ) {
            try {
                probe.timerFired(now);
            } catch (Exception e) {
                probe.failLocally(e);
            }
        }
    }

    private void failQueued(String why) {
        for (InFlightProbe probe; (probe = submissions.poll()) != null; ) {
            queued.decrementAndGet();
            probe.deliver(InFlightProbe.notStarted(probe.request(), why));
        }
    }

    private void shutdown(String why) {
        long now = System.nanoTime();
        for (InFlightProbe probe : new ArrayList<>(active)) {
            try {
                probe.finish(PortState.ERROR, ProbeReason.LOCAL_ERROR, now, why);
            } catch (RuntimeException e) {
                LOG.debug("failing a probe at shutdown", e);
            }
        }
        for (InFlightProbe probe : admission.drain()) {
            queued.decrementAndGet();
            probe.deliver(InFlightProbe.notStarted(probe.request(), why));
        }
        failQueued(why);
        flushResults.run();
        if (epoll != null) {
            // Before the selector: the bridge thread is stopped before the selector it wakes goes.
            epoll.close(); // every epoll connect was finished above, which closed its socket
        }
        try {
            selector.close(); // also deregisters and closes any channel still registered
        } catch (IOException e) {
            LOG.debug("closing the probe selector", e);
        }
    }
}
