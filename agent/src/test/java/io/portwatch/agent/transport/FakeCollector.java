package io.portwatch.agent.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.portwatch.proto.v1.Ack;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.IngestGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC Ingest server on 127.0.0.1 that records what every stream carried and acks only
 * when the test says so. Can be stopped and started again on the same port. Public for the
 * running-agent tests of other packages (AgentIcmpBudgetNetnsTest).
 */
public final class FakeCollector implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> AUTHORIZATION_IN_CONTEXT = Context.key("authorization");

    /** One Connect call: its authorization header (null when absent) and the messages it carried. */
    public static final class Session {
        final String authorization;
        final List<AgentMessage> messages = new CopyOnWriteArrayList<>();
        private final StreamObserver<CollectorMessage> responses;

        Session(String authorization, StreamObserver<CollectorMessage> responses) {
            this.authorization = authorization;
            this.responses = responses;
        }

        public void ack(long seq) {
            synchronized (responses) {
                responses.onNext(CollectorMessage.newBuilder().setAck(Ack.newBuilder().setSeq(seq)).build());
            }
        }

        /** Answers as a collector that stores listening inventories does, after it has read the Hello. */
        public void welcome() {
            synchronized (responses) {
                responses.onNext(CollectorMessage.newBuilder()
                        .setWelcome(io.portwatch.proto.v1.Welcome.newBuilder().setAcceptsListening(true)).build());
            }
        }

        /** Fails the stream as a crashing collector would. */
        void fail() {
            synchronized (responses) {
                responses.onError(Status.UNAVAILABLE.withDescription("collector test failure").asRuntimeException());
            }
        }

        public List<AgentMessage> messages() {
            return List.copyOf(messages);
        }
    }

    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private int port;
    private Server server;
    /** Server TLS (certificate and key), or null for plaintext. */
    private final io.netty.handler.ssl.SslContext tls;

    /** A TLS collector on {@code port}, serving the certificate of {@code tls}. */
    FakeCollector(int port, io.netty.handler.ssl.SslContext tls) {
        this.tls = tls;
        start(port);
    }

    public FakeCollector() {
        this.tls = null;
        // A port below the ephemeral range (32768-60999): the tests stop this collector and
        // listen on its port again, and a port of that range, once free, can meanwhile become the
        // local port of any client socket on this host, which makes the second bind fail.
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try {
                listen(candidate);
                return;
            } catch (IOException e) {
                last = e; // taken: another one
            }
        }
        throw new UncheckedIOException("no free port in 20000-31999 on 127.0.0.1", last);
    }

    public int port() {
        return port;
    }

    /** Every Connect call so far, oldest first, across restarts. */
    public List<Session> sessions() {
        return new ArrayList<>(sessions);
    }

    Session session(int index) {
        return sessions.get(index);
    }

    synchronized void stop() {
        server.shutdownNow();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test collector did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts again on the port it had, as a restarted collector would. */
    synchronized void restart() {
        start(port);
    }

    private synchronized void start(int wantedPort) {
        try {
            listen(wantedPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + wantedPort, e);
        }
    }

    private synchronized void listen(int wantedPort) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", wantedPort))
                .addService(ServerInterceptors.intercept(new Ingest(), new AuthorizationToContext()));
        if (tls != null) {
            builder.sslContext(tls);
        }
        server = builder.build().start();
        port = server.getPort();
    }

    @Override
    public void close() {
        stop();
    }

    /** Hands the call's authorization header to the service through the gRPC context. */
    private static final class AuthorizationToContext implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            Context context = Context.current().withValue(AUTHORIZATION_IN_CONTEXT, headers.get(AUTHORIZATION));
            return Contexts.interceptCall(context, call, headers, next);
        }
    }

    private final class Ingest extends IngestGrpc.IngestImplBase {
        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<CollectorMessage> responses) {
            Session session = new Session(AUTHORIZATION_IN_CONTEXT.get(), responses);
            sessions.add(session);
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage message) {
                    session.messages.add(message);
                }

                @Override
                public void onError(Throwable t) {
                    // The agent went away; nothing to answer.
                }

                @Override
                public void onCompleted() {
                    synchronized (responses) {
                        responses.onCompleted();
                    }
                }
            };
        }
    }
}
