package io.portwatch.collector.ingest;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent stream with real inbound flow control. gRPC delivers at most {@code window} messages
 * that are not yet stored (the call's automatic request is off); each stored message is requested
 * again only after its transaction commits. A faster agent therefore waits on HTTP/2 flow control
 * instead of filling the collector's memory, and an ack always means committed.
 *
 * <p>Messages are stored strictly in order on a worker thread, in turns that {@link IngestWriters}
 * shares among all streams; each turn stores what is waiting when it begins. Consecutive batches
 * already waiting are stored together in one transaction (group commit): under load this merges the per-check
 * work of several batches (one current-state read per check, not per batch) and shares one COPY
 * and one commit; each batch is still claimed and acked by its own seq. Everything that
 * touches the call runs on its Vert.x context, as gRPC expects calls to one stream not to overlap.
 */
final class AgentStream implements StreamObserver<AgentMessage> {

    private final AgentSession session;
    private final ServerCallStreamObserver<CollectorMessage> call;
    private final Context context;
    private final IngestWriters writers;

    // Guarded by this.
    private final ArrayDeque<AgentMessage> waiting = new ArrayDeque<>();
    private boolean draining;
    private boolean inputDone;
    private boolean over;
    private boolean finished;

    AgentStream(AgentSession session, ServerCallStreamObserver<CollectorMessage> call, Context context,
            IngestWriters writers) {
        this.session = session;
        this.call = call;
        this.context = context;
        this.writers = writers;
    }

    @Override
    public void onNext(AgentMessage message) {
        synchronized (this) {
            if (over) {
                return;
            }
            waiting.add(message);
        }
        drainLater();
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
            waiting.clear();
        }
        drainLater();
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
        List<AgentMessage> group;
        synchronized (this) {
            if (idle()) {
                return;
            }
            group = takeGroup();
        }
        List<CollectorMessage> replies;
        try {
            replies = store(group);
        } catch (ProtocolViolation e) {
            Log.warnf("agent stream rejected: %s", e.getMessage());
            onContext(() -> e.replies().forEach(call::onNext));
            fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            Log.errorf(e, "agent stream failed while storing %d messages", group.size());
            fail(Status.INTERNAL.withDescription("the collector could not store the message; re-send it"));
            return;
        }
        int stored = group.size();
        onContext(() -> {
            replies.forEach(call::onNext);
            call.request(stored);
        });
        synchronized (this) {
            if (idle()) {
                return;
            }
        }
        writers.submit(this::drain);
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
        finish(completed ? Status.OK : null);
        return true;
    }

    /** The head message, plus the batches right behind it when it is a batch. */
    private List<AgentMessage> takeGroup() {
        List<AgentMessage> group = new ArrayList<>();
        group.add(waiting.poll());
        if (group.get(0).hasBatch()) {
            while (!waiting.isEmpty() && waiting.peek().hasBatch()) {
                group.add(waiting.poll());
            }
        }
        return group;
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
            waiting.clear();
            draining = false;
        }
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
