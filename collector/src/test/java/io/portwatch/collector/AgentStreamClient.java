package io.portwatch.collector;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.IngestGrpc;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** A real gRPC client stream to the collector under test, playing an agent. */
public final class AgentStreamClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final StreamObserver<AgentMessage> requests;
    /** Acks and rejects, in order. */
    public final BlockingQueue<CollectorMessage> received = new LinkedBlockingQueue<>();
    /** Welcomes, apart: tests of acks need not skip the answer to each Hello. */
    public final BlockingQueue<CollectorMessage> welcomes = new LinkedBlockingQueue<>();
    public final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    public AgentStreamClient() {
        this((String) null);
    }

    /** @param token sent as {@code authorization: Bearer <token>} when not null */
    public AgentStreamClient(String token) {
        this(newChannel(), true, token);
    }

    /** A stream on a channel the caller keeps (and shuts down): many streams, one connection. */
    public AgentStreamClient(ManagedChannel shared) {
        this(shared, false, null);
    }

    public static ManagedChannel newChannel() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private AgentStreamClient(ManagedChannel channel, boolean ownsChannel, String token) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        IngestGrpc.IngestStub stub = IngestGrpc.newStub(channel);
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        requests = stub.connect(new StreamObserver<>() {
            @Override
            public void onNext(CollectorMessage value) {
                (value.hasWelcome() ? welcomes : received).add(value);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
    }

    public synchronized AgentStreamClient send(AgentMessage message) {
        requests.onNext(message);
        return this;
    }

    /** The next message from the collector, failing the test when none comes in time. */
    public CollectorMessage next(Duration timeout) throws InterruptedException {
        CollectorMessage m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message from the collector within " + timeout);
        }
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            requests.onCompleted();
        } catch (IllegalStateException ignored) {
            // stream already failed
        }
        if (ownsChannel) {
            channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        } else {
            try {
                ended.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the stream did not end within 5 s", e);
            }
        }
    }
}
