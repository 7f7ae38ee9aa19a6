package io.portwatch.collector.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.portwatch.collector.CollectorSettings;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Refuses agent streams without the configured bearer token (UNAUTHENTICATED). */
@GlobalInterceptor
@ApplicationScoped
public class IngestAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> expected;

    IngestAuthInterceptor(CollectorSettings settings) {
        this.expected = settings.ingest().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        if (expected.isEmpty()) {
            Log.warn("portwatch.ingest.token is not set: any client that reaches this port can send results");
        }
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (expected.isPresent() && !authorized(headers.get(AUTHORIZATION))) {
            call.close(Status.UNAUTHENTICATED.withDescription("missing or wrong bearer token"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith(BEARER)) {
            return false;
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected.get(), given); // constant time
    }
}
