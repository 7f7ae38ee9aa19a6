package io.portwatch.collector.ingest;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.portwatch.collector.security.TokenStreams;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One agent stream with real inbound flow control. gRPC delivers at most {@code window} messages
 * that are not yet stored (the call's automatic request is off), and only as many as the
 * collector-wide {@link IngestBudget} has bytes for; a stored message is requested again only
 * after its transaction commits (and with it any alert evaluation it waited for). A faster agent,
 * or a thousand of them reconnecting at once, therefore waits on HTTP/2 flow control instead of
 * filling the collector's memory, and an ack always means committed.
 *
 * <p>Messages are stored strictly in order on a worker thread, in turns that {@link IngestWriters}
 * shares among all streams; each turn stores what is waiting when it begins. Consecutive batches
 * already waiting are stored together in one transaction (group commit): under load this merges the per-check
 * work of several batches (one current-state read per check, not per batch) and shares one COPY
 * and one commit; each batch is still claimed and acked by its own seq. Everything that
 * touches the call runs on its Vert.x context, as gRPC expects calls to one stream not to overlap.
 */
final class AgentStream implements StreamObserver<AgentMessage>, IngestBudget.Waiter, TokenStreams.Revocable {

    /** A message read and its serialized size, which it holds of the budget until stored. */
    private record Read(AgentMessage message, long bytes) {}

    private final AgentSession session;
    private final ServerCallStreamObserver<CollectorMessage> call;
    private final Context context;
    private final IngestWriters writers;
    private final IngestBudget budget;
    private final int window;
    /** Told once when the stream is over. */
    private final Consumer<AgentStream> ended;

    // Guarded by this.
    private final ArrayDeque<Read> waiting = new ArrayDeque<>();
    /** The budget reserved for each message asked for and not yet arrived, oldest first. */
    private final ArrayDeque<Long> requested = new ArrayDeque<>();
    /** Messages (and their bytes) of the group being stored. */
    private int storing;
    private long storingBytes;
    private boolean draining;
    private boolean inputDone;
    private boolean over;
    private boolean finished;
    /** Why the stream was ended from outside (its token revoked): the status it ends with. */
    private Status endedWith;

    AgentStream(AgentSession session, ServerCallStreamObserver<CollectorMessage> call, Context context,
            IngestWriters writers, IngestBudget budget, int window, Consumer<AgentStream> ended) {
        this.ended = ended;
        this.session = session;
        this.call = call;
        this.context = context;
        this.writers = writers;
        this.budget = budget;
        this.window = window;
    }

    /** Asks for the first messages (as many as the window and the budget allow). */
    void start() {
        refill(false);
    }

    @Override
    public void onNext(AgentMessage message) {
        long bytes = message.getSerializedSize();
        boolean dropped;
        synchronized (this) {
            Long reserved = requested.poll();
            budget.arrived(reserved == null ? 0 : reserved, bytes, message.hasBatch());
            dropped = over;
            if (!dropped) {
                waiting.add(new Read(message, bytes));
            }
        }
        if (dropped) {
            budget.release(bytes);
            return;
        }
        drainLater();
    }

    @Override
    public void budgetFreed() {
        if (!refill(true)) {
            budget.release(0); // passes the turn on to the next stream in line
        }
    }

    /**
     * Asks gRPC for as many more messages as the window has room for and the budget grants.
     * Returns false when it neither reserved anything nor queued up for the budget.
     */
    private boolean refill(boolean queued) {
        int n = 0;
        boolean wanted;
        synchronized (this) {
            wanted = !over && !inputDone && requested.size() + waiting.size() + storing < window;
            while (!over && !inputDone && requested.size() + waiting.size() + storing < window) {
                long reserved = 0;
                // A stream with nothing asked for, read or being stored may always ask for one
                // message; it counts once it arrives. Otherwise a fleet of mostly idle agents
                // would hold every reservation while waiting for their next batch, and the others
                // would wait in line for one of them to send.
                if (!requested.isEmpty() || !waiting.isEmpty() || storing > 0) {
                    reserved = budget.reserve(this, queued || n > 0);
                    if (reserved == 0) {
                        break;
                    }
                }
                requested.add(reserved);
                n++;
            }
        }
        if (n > 0) {
            int more = n;
            onContext(() -> call.request(more));
        }
        return wanted;
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            inputDone = true;
        }
        drainLater();
    }

    /** The agent went away (cancelled, connection lost): unstored messages are dropped, it re-sends them. */
    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            over = true;
        }
        releaseUnstored();
        drainLater();
    }

    /**
     * Ends the stream from outside: nothing more is read or stored, what is being stored finishes,
     * and the call ends with UNAUTHENTICATED once the drain sees it.
     */
    @Override
    public void revoke(String why) {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            endedWith = Status.UNAUTHENTICATED.withDescription(why);
        }
        releaseUnstored();
        drainLater();
    }

    /** Once over: gives back the bytes of messages that will not be stored and of those that will not come. */
    private void releaseUnstored() {
        long bytes = 0;
        synchronized (this) {
            for (Read r : waiting) {
                bytes += r.bytes();
            }
            waiting.clear();
            for (Long r : requested) {
                bytes += r;
            }
            requested.clear();
        }
        budget.forget(this);
        budget.release(bytes);
    }

    private void drainLater() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        writers.submit(this::drain);
    }

    /** One turn: stores the messages waiting now as one group; asks for another turn while more wait. */
    private void drain() {
        List<AgentMessage> group = null;
        boolean ended = false;
        synchronized (this) {
            if (idle()) {
                ended = over;
            } else {
                group = takeGroup();
            }
        }
        if (group == null) {
            if (ended) {
                releaseUnstored(); // outside the lock: it may wake other streams
            }
            return;
        }
        List<CollectorMessage> replies;
        try {
            replies = store(group);
        } catch (AgentIdRefused e) {
            Log.warnf("agent stream refused: %s", e.getMessage());
            stored();
            fail(Status.PERMISSION_DENIED.withDescription(e.getMessage()));
            return;
        } catch (ProtocolViolation e) {
            Log.warnf("agent stream rejected: %s", e.getMessage());
            stored();
            onContext(() -> e.replies().forEach(call::onNext));
            fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            Log.errorf(e, "agent stream failed while storing %d messages", group.size());
            stored();
            fail(Status.INTERNAL.withDescription("the collector could not store the message; re-send it"));
            return;
        }
        onContext(() -> replies.forEach(call::onNext));
        stored();
        refill(false);
        boolean more = false;
        synchronized (this) {
            if (idle()) {
                ended = over;
            } else {
                more = true;
            }
        }
        if (ended) {
            releaseUnstored();
        }
        if (more) {
            writers.submit(this::drain);
        }
    }

    /** The group being stored is done with (stored or not): its bytes go back to the budget. */
    private void stored() {
        long bytes;
        synchronized (this) {
            bytes = storingBytes;
            storing = 0;
            storingBytes = 0;
        }
        budget.release(bytes);
    }

    /**
     * Called holding this: true when there is nothing to store, in which case the drain ends (and
     * with the input over, or the stream failed, so does the call).
     */
    private boolean idle() {
        if (!waiting.isEmpty() && !over) {
            return false;
        }
        draining = false;
        if (!over && !inputDone) {
            return true;
        }
        boolean completed = !over;
        over = true;
        finish(completed ? Status.OK : endedWith);
        return true;
    }

    /** The head message, plus the batches right behind it when it is a batch. */
    private List<AgentMessage> takeGroup() {
        List<AgentMessage> group = new ArrayList<>();
        take(group);
        if (group.get(0).hasBatch()) {
            while (!waiting.isEmpty() && waiting.peek().message().hasBatch()) {
                take(group);
            }
        }
        return group;
    }

    private void take(List<AgentMessage> group) {
        Read r = waiting.poll();
        group.add(r.message());
        storing++;
        storingBytes += r.bytes();
    }

    private List<CollectorMessage> store(List<AgentMessage> group) {
        if (group.size() == 1 && !group.get(0).hasBatch()) {
            return session.handle(group.get(0)).map(List::of).orElse(List.of());
        }
        List<ResultBatch> batches = new ArrayList<>(group.size());
        group.forEach(m -> batches.add(m.getBatch()));
        return session.batches(batches);
    }

    private void fail(Status status) {
        synchronized (this) {
            over = true;
            draining = false;
        }
        releaseUnstored();
        finish(status);
    }

    /** Ends the call (null: the agent already went away) and marks the agent disconnected, once. */
    private void finish(Status status) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        ended.accept(this);
        if (status != null) {
            onContext(() -> {
                if (status.isOk()) {
                    call.onCompleted();
                } else {
                    call.onError(status.asRuntimeException());
                }
            });
        }
        try {
            session.close();
        } catch (RuntimeException e) {
            Log.warnf(e, "marking the agent disconnected failed");
        }
    }

    private void onContext(Runnable action) {
        if (context == null) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
