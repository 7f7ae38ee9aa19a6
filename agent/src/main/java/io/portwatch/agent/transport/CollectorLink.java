package io.portwatch.agent.transport;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.portwatch.agent.config.CheckConfig;
import io.portwatch.agent.spool.Spool;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Heartbeat;
import io.portwatch.proto.v1.Hello;
import io.portwatch.proto.v1.IngestGrpc;
import io.portwatch.proto.v1.ListeningInventory;
import io.portwatch.proto.v1.ResultBatch;
import io.quarkus.logging.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The agent's stream to the collector. Sends Hello and the catalog on every (re)connect, then
 * every unacked batch of the {@link Spool} in seq order, only while gRPC says the stream is ready
 * (so a slow collector pushes back instead of filling memory: the spool holds the rest). A failed
 * stream is reopened after an exponential, jittered backoff; unacked batches are re-sent and the
 * collector skips those it had stored. The host's listening inventory goes to a collector whose
 * Welcome accepts it, after the Welcome and whenever it changes.
 *
 * <p>The channel comes from its owner (the Quarkus gRPC client {@code collector}, which carries the
 * TLS settings) and is not closed here.
 */
public final class CollectorLink implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final CollectorSettings settings;
    private final Hello hello;
    private final Clock clock;
    private final Channel channel;
    /** Opens streams and drains when gRPC calls back (see Responses.drainLater); never a gRPC thread. */
    private final Executor worker;
    /** Waits out the reconnect backoff, then hands the reopen to {@link #worker}. */
    private final ScheduledExecutorService timer;
    /** The executor this link made for itself (no executor given), shut down by close(); else null. */
    private final ScheduledExecutorService own;

    /** Read from the spool per drain step: the rest stays on disk, not on the heap. */
    private static final int READ_AHEAD = 8;

    // Guarded by this.
    private final Spool spool;
    private CheckConfig catalog;
    /** The host's listening sockets, last read; sent when a collector's Welcome accepts them. */
    private ListeningInventory listening;
    /** The current stream's collector said in its Welcome that it stores listening inventories. */
    private boolean acceptsListening;
    private ClientCallStreamObserver<AgentMessage> stream;
    private long sentUpTo;
    /** Seqs sent on the current stream and not yet acknowledged, oldest first. */
    private final java.util.ArrayDeque<Long> inFlight = new java.util.ArrayDeque<>();
    private long ackedUpTo;
    private long highestSubmitted;
    private long lastSendNanos;
    private Duration backoff;
    private boolean closed;

    /** With a daemon thread of its own, "collector-link", for both the work and the backoff timer. */
    public CollectorLink(CollectorSettings settings, Channel channel, Hello hello, Clock clock, Spool spool) {
        this(settings, channel, hello, clock, spool, ownThread());
    }

    private CollectorLink(CollectorSettings settings, Channel channel, Hello hello, Clock clock, Spool spool,
            ScheduledExecutorService own) {
        this(settings, channel, hello, clock, spool, own, own, own);
    }

    /**
     * @param worker runs the opens and drains (the running agent: Quarkus' worker pool); the lock
     *     of this link orders what they send
     * @param timer schedules reopens after the backoff; the task it runs only hands the reopen to
     *     {@code worker} (Quarkus' timer may run it on the Vert.x event loop, which must not block)
     */
    public CollectorLink(CollectorSettings settings, Channel channel, Hello hello, Clock clock, Spool spool,
            Executor worker, ScheduledExecutorService timer) {
        this(settings, channel, hello, clock, spool, worker, timer, null);
    }

    private CollectorLink(CollectorSettings settings, Channel channel, Hello hello, Clock clock, Spool spool,
            Executor worker, ScheduledExecutorService timer, ScheduledExecutorService own) {
        this.worker = worker;
        this.timer = timer;
        this.own = own;
        this.settings = settings;
        this.channel = channel;
        this.hello = hello;
        this.clock = clock;
        this.spool = spool;
        this.ackedUpTo = spool.acked();
        this.backoff = settings.reconnectMinBackoff();
    }

    public void start() {
        worker.execute(this::open);
    }

    /** Replaces the catalog; sent now when connected, and on every reconnect. */
    public synchronized void catalog(CheckConfig config) {
        this.catalog = config;
        if (stream != null) {
            send(AgentMessage.newBuilder().setCatalog(ProtoMapping.catalog(config)).build());
        }
    }

    /**
     * Replaces the listening inventory; sent now when the collector accepts it, and after every
     * reconnect's Welcome. An older collector sends no Welcome and is never sent one.
     */
    public synchronized void listening(ListeningInventory inventory) {
        this.listening = inventory;
        if (stream != null && acceptsListening) {
            send(AgentMessage.newBuilder().setListening(inventory).build());
        }
    }

    public synchronized void submit(ResultBatch batch) {
        highestSubmitted = Math.max(highestSubmitted, batch.getSeq());
        spool.append(batch);
        drain();
    }

    public synchronized void heartbeatIfIdle() {
        if (stream != null && System.nanoTime() - lastSendNanos >= settings.heartbeatInterval().toNanos()) {
            send(AgentMessage.newBuilder()
                    .setHeartbeat(Heartbeat.newBuilder().setSentAtMs(clock.millis()))
                    .build());
        }
    }

    public synchronized boolean connected() {
        return stream != null;
    }

    public synchronized int pendingBatches() {
        return spool.batches();
    }

    public synchronized long droppedBatches() {
        return spool.dropped();
    }

    public synchronized long ackedUpTo() {
        return ackedUpTo;
    }

    @SuppressWarnings("unchecked")
    private void open() {
        IngestGrpc.IngestStub stub = IngestGrpc.newStub(channel);
        if (settings.token().isPresent()) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + settings.token().get());
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            // This link's backoff paces the attempts; without this, gRPC's own connect backoff (up to
            // 2 min) would fail our new stream at once until it expires, whatever reconnectMaxBackoff says.
            if (channel instanceof ManagedChannel managed) {
                managed.resetConnectBackoff();
            }
            // Messages may be sent only once the call has started, i.e. after connect() returns.
            stream = (ClientCallStreamObserver<AgentMessage>) stub.connect(new Responses());
            sentUpTo = ackedUpTo;
            inFlight.clear();
            acceptsListening = false;
            send(AgentMessage.newBuilder().setHello(hello.toBuilder().setLastSeq(lastSeq())).build());
            if (catalog != null) {
                send(AgentMessage.newBuilder().setCatalog(ProtoMapping.catalog(catalog)).build());
            }
            drain();
        }
        Log.debugf("stream to collector %s:%d opening", settings.host(), settings.port());
    }

    /** Callbacks of one stream; they act only while that stream is the current one. */
    private final class Responses implements ClientResponseObserver<AgentMessage, CollectorMessage> {

        private ClientCallStreamObserver<AgentMessage> requests;
        private boolean confirmed;

        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(this::drainLater);
        }

        /**
         * Drains on the link's worker, never on the gRPC callback's thread. The Vert.x gRPC client
         * (the agent's Quarkus client) writes a message sent from its event loop at once, but one
         * sent from any other thread as a task queued on that loop: a drain run in this callback
         * overtook the Hello and catalog that open() had queued a moment before, and the collector
         * refused the stream ("the first message of a stream must be Hello") whenever batches were
         * waiting at connect. Sent only from other threads, in the order the lock gives them, the
         * messages keep their order on either client.
         */
        private void drainLater() {
            try {
                worker.execute(() -> {
                    synchronized (CollectorLink.this) {
                        if (stream == requests) {
                            drain();
                        }
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // close() stopped the worker, or the application is stopping: nothing is sent any more
            }
        }

        private void sendListeningLater() {
            try {
                worker.execute(() -> {
                    synchronized (CollectorLink.this) {
                        if (stream == requests && listening != null) {
                            send(AgentMessage.newBuilder().setListening(listening).build());
                        }
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // stopping
            }
        }

        @Override
        public void onNext(CollectorMessage message) {
            synchronized (CollectorLink.this) {
                switch (message.getBodyCase()) {
                    case ACK -> {
                        if (!confirmed) {
                            // The first ack proves the whole path works, not just the TCP connect.
                            confirmed = true;
                            backoff = settings.reconnectMinBackoff();
                            Log.infof("connected to collector %s:%d", settings.host(), settings.port());
                        }
                        ackedUpTo = Math.max(ackedUpTo, message.getAck().getSeq());
                        spool.ack(ackedUpTo);
                        while (!inFlight.isEmpty() && inFlight.peekFirst() <= ackedUpTo) {
                            inFlight.removeFirst();
                        }
                        drainLater(); // the in-flight cap may have held batches back
                    }
                    case WELCOME -> {
                        if (stream == requests && message.getWelcome().getAcceptsListening()) {
                            acceptsListening = true;
                            sendListeningLater(); // not from this callback: see drainLater
                        }
                    }
                    case REJECT -> Log.errorf("collector rejected this agent: %s", message.getReject().getReason());
                    default -> Log.debugf("ignoring collector message %s", message.getBodyCase());
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            ended("failed: " + t.getMessage());
        }

        @Override
        public void onCompleted() {
            ended("closed by the collector");
        }

        private void ended(String why) {
            Duration wait;
            synchronized (CollectorLink.this) {
                if (stream != requests || closed) {
                    return;
                }
                stream = null;
                wait = jittered(backoff);
                backoff = min(backoff.multipliedBy(2), settings.reconnectMaxBackoff());
            }
            Log.warnf("stream to collector %s:%d %s; %d batches pending, retrying in %d ms",
                    settings.host(), settings.port(), why, pendingBatches(), wait.toMillis());
            try {
                timer.schedule(() -> worker.execute(CollectorLink.this::open), wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the application is stopping: close() follows
            }
        }
    }

    /**
     * Sends unacked batches that this stream has not carried yet, while it is ready and fewer
     * than max-in-flight-batches wait for their ack.
     */
    private void drain() {
        while (stream != null && stream.isReady() && inFlight.size() < settings.maxInFlightBatches()) {
            List<ResultBatch> next = spool.after(sentUpTo,
                    Math.min(READ_AHEAD, settings.maxInFlightBatches() - inFlight.size()));
            if (next.isEmpty()) {
                return;
            }
            for (ResultBatch b : next) {
                if (stream == null || !stream.isReady()) {
                    return;
                }
                send(AgentMessage.newBuilder().setBatch(b).build());
                sentUpTo = b.getSeq();
                inFlight.addLast(b.getSeq());
            }
        }
    }

    private void send(AgentMessage message) {
        try {
            stream.onNext(message);
            lastSendNanos = System.nanoTime();
        } catch (RuntimeException e) {
            // The stream is failing; onError follows and schedules the reconnect.
            Log.debugf("send failed: %s", e.getMessage());
        }
    }

    /** Hello.last_seq: the highest seq ever assigned, acked or not (sentUpTo restarts on each stream). */
    private long lastSeq() {
        return Math.max(Math.max(ackedUpTo, highestSubmitted), spool.lastSeq());
    }

    private static Duration jittered(Duration d) {
        long ms = d.toMillis();
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        ClientCallStreamObserver<AgentMessage> s;
        synchronized (this) {
            closed = true;
            s = stream;
            stream = null;
        }
        if (s != null) {
            try {
                s.onCompleted();
            } catch (RuntimeException ignored) {
                // already failed
            }
        }
        if (own != null) {
            own.shutdownNow();
        }
    }

    private static ScheduledExecutorService ownThread() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "collector-link");
            t.setDaemon(true);
            return t;
        });
    }
}
