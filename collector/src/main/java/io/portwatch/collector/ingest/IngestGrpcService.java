package io.portwatch.collector.ingest;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.IngestGrpc;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Vertx;
import java.time.Clock;

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
    private final Clock clock = Clock.systemUTC();

    IngestGrpcService(IngestService ingest, IngestValidator validator, IngestMetrics metrics, IngestWriters writers,
            IngestBudget budget, CollectorSettings settings) {
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
        AgentStream stream = new AgentStream(new AgentSession(ingest, validator, metrics, clock), call,
                Vertx.currentContext(), writers, budget, window);
        stream.start();
        return stream;
    }
}
