package io.portwatch.collector.ingest;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.security.IngestCredential;
import io.portwatch.collector.security.TokenStreams;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.IngestGrpc;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The agents' stream endpoint. Written against grpc-java's stream observer rather than the Mutiny
 * stub because only that API can turn off automatic inbound requests: the Mutiny bridge reads
 * every message into an unbounded queue, so nothing pushed back on a fast agent. See AgentStream.
 */
@GrpcService
public class IngestGrpcService extends IngestGrpc.IngestImplBase {

    private final IngestService ingest;
    private final IngestValidator validator;
    private final IngestMetrics metrics;
    private final IngestWriters writers;
    private final IngestBudget budget;
    private final int window;
    private final TokenStreams tokenStreams;
    private final Clock clock = Clock.systemUTC();

    IngestGrpcService(IngestService ingest, IngestValidator validator, IngestMetrics metrics, IngestWriters writers,
            IngestBudget budget, CollectorSettings settings, TokenStreams tokenStreams) {
        this.tokenStreams = tokenStreams;
        this.ingest = ingest;
        this.validator = validator;
        this.metrics = metrics;
        this.writers = writers;
        this.budget = budget;
        this.window = settings.ingest().streamWindow();
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<CollectorMessage> responses) {
        ServerCallStreamObserver<CollectorMessage> call = (ServerCallStreamObserver<CollectorMessage>) responses;
        call.disableAutoRequest();
        // Acks to an agent that went away are dropped instead of failing the writer.
        call.setOnCancelHandler(() -> {});
        // Set by IngestAuthInterceptor for every Ingest call; never null there.
        IngestCredential credential = IngestCredential.CURRENT.get();
        if (credential == null) {
            throw Status.UNAUTHENTICATED.withDescription("no credential").asRuntimeException();
        }
        // A per-agent token's streams are listed while they run, so that revoking it ends them.
        Consumer<AgentStream> ended = s -> {};
        if (credential instanceof IngestCredential.AgentToken token) {
            ended = s -> tokenStreams.closed(token.tokenId(), s);
        }
        AgentStream stream = new AgentStream(new AgentSession(ingest, validator, metrics, clock, credential), call,
                Vertx.currentContext(), writers, budget, window, ended);
        if (credential instanceof IngestCredential.AgentToken token) {
            tokenStreams.opened(token.tokenId(), stream);
        }
        stream.start();
        return stream;
    }
}
