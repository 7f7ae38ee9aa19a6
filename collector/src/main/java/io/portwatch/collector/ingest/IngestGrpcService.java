package io.portwatch.collector.ingest;

import io.grpc.Status;
import io.portwatch.proto.v1.AgentMessage;
import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Ingest;
import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Clock;
import java.util.Optional;

/**
 * The agents' stream endpoint. Each message is stored on a worker thread (JDBC must not block the
 * event loop) and the next one is requested only after it: gRPC flow control then pushes back on
 * an agent that sends faster than PostgreSQL stores.
 */
@GrpcService
public class IngestGrpcService implements Ingest {

    private final IngestService ingest;
    private final Clock clock = Clock.systemUTC();

    IngestGrpcService(IngestService ingest) {
        this.ingest = ingest;
    }

    @Override
    public Multi<CollectorMessage> connect(Multi<AgentMessage> messages) {
        AgentSession session = new AgentSession(ingest, clock);
        return messages
                .onItem().transformToUniAndConcatenate(m -> Uni.createFrom().item(() -> session.handle(m))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .onFailure(ProtocolViolation.class).transform(e -> {
                    Log.warnf("agent stream rejected: %s", e.getMessage());
                    return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
                })
                .onTermination().invoke(() -> Infrastructure.getDefaultWorkerPool().execute(session::close));
    }
}
