package io.portwatch.collector.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.portwatch.collector.CollectorSettings;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.proto.v1.IngestGrpc;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Decides the {@link IngestCredential} of every agent stream before the stream starts, and refuses
 * the stream (UNAUTHENTICATED) when it has none that counts:
 * <ul>
 * <li>with {@code portwatch.tls.client-ca} set, a client certificate signed by that CA, and nothing
 * else (the agent id is bound to the certificate);
 * <li>otherwise a per-agent token ({@code Bearer pwa_…}, looked up by its hash, unrevoked), or the
 * shared {@code portwatch.ingest.token};
 * <li>no credential at all only with {@code portwatch.ingest.allow-anonymous=true}.
 * </ul>
 * The credential travels in the gRPC context ({@link IngestCredential#CURRENT}); the stream checks
 * the agent id of its Hello against it. Tokens are looked up on every stream, not cached, so a
 * revoked token is refused from the next stream on.
 */
@GlobalInterceptor
@ApplicationScoped
@Startup // its settings are checked at start, not at the first stream
public class IngestAuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";
    static final String NO_CREDENTIAL = "this stream presented no credential: send a per-agent token"
            + " (POST /api/v1/agents/{agent}/tokens) or the shared portwatch.ingest.token as"
            + " portwatch.collector.token, use client certificates (portwatch.tls.client-ca), or set"
            + " portwatch.ingest.allow-anonymous=true on the collector";

    private final Optional<byte[]> sharedToken;
    private final Optional<ClientCertificates> clientCertificates;
    private final boolean allowAnonymous;
    private final Counter refused;
    private final AgentTokenRepository tokens;
    private final InputLimits limits;

    IngestAuthInterceptor(CollectorSettings settings, AgentTokenRepository tokens, InputLimits limits, MeterRegistry metrics) {
        this.refused = Counter.builder("portwatch.ingest.refused.streams")
                .description("Agent streams refused without a credential that counts (UNAUTHENTICATED)")
                .register(metrics);
        settings.ingest().token().ifPresent(t -> Placeholders.refuse("portwatch.ingest.token (PORTWATCH_INGEST_TOKEN)", t));
        this.sharedToken = settings.ingest().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.clientCertificates = settings.tls().clientCa().map(ClientCertificates::trusting);
        this.allowAnonymous = settings.ingest().allowAnonymous();
        this.tokens = tokens;
        this.limits = limits;
        if (clientCertificates.isPresent()) {
            Log.info("agent streams must present a client certificate signed by portwatch.tls.client-ca");
        } else if (allowAnonymous) {
            Log.warn("portwatch.ingest.allow-anonymous=true: any client that reaches this port can send results"
                    + " as any agent without a credential");
        } else if (sharedToken.isEmpty()) {
            Log.info("agent streams need a per-agent token (portwatch.ingest.token, the shared one, is not set)");
        }
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!IngestGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        if (clientCertificates.isPresent()) {
            return certificate(call).map(c -> start(c, call, headers, next))
                    .orElseGet(() -> refuse(call, clientCertificateRefusal(call)));
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null) {
            return allowAnonymous ? start(new IngestCredential.Anonymous(), call, headers, next) : refuse(call, NO_CREDENTIAL);
        }
        if (!header.startsWith(BEARER)) {
            return refuse(call, "the authorization header must be 'Bearer <token>'");
        }
        String presented = header.substring(BEARER.length()).trim();
        if (SecretKind.AGENT_TOKEN.matches(presented)) {
            return agentToken(presented, call, headers, next);
        }
        if (isSharedToken(presented)) {
            return start(new IngestCredential.SharedToken(), call, headers, next);
        }
        return refuse(call, "wrong bearer token");
    }

    private boolean isSharedToken(String presented) {
        return sharedToken.isPresent() && MessageDigest.isEqual(sharedToken.get(), presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Looks the token up on a worker thread (this runs on the event loop, which must not wait for
     * the database); the call starts once the answer is in, and nothing arrives before it starts,
     * since messages are only delivered once the service asks for them.
     */
    private <Q, A> ServerCall.Listener<Q> agentToken(String presented, ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        byte[] hash = IssuedSecret.hash(presented);
        io.vertx.core.Context vertx = Vertx.currentContext();
        if (vertx == null) {
            return resolved(tokens.validByHash(hash), presented, call, headers, next);
        }
        DeferredListener<Q> deferred = new DeferredListener<>();
        vertx.<Optional<AgentToken>>executeBlocking(() -> tokens.validByHash(hash), false).onComplete(ar -> {
            if (ar.failed()) {
                Log.errorf(ar.cause(), "looking up an agent token failed");
                call.close(Status.UNAVAILABLE.withDescription("the collector could not check the token; retry"), new Metadata());
                deferred.start(new ServerCall.Listener<>() {});
            } else if (!deferred.cancelled()) {
                deferred.start(resolved(ar.result(), presented, call, headers, next));
            }
        });
        return deferred;
    }

    private <Q, A> ServerCall.Listener<Q> resolved(Optional<AgentToken> token, String presented, ServerCall<Q, A> call,
            Metadata headers, ServerCallHandler<Q, A> next) {
        if (token.isPresent()) {
            AgentToken t = token.get();
            return start(new IngestCredential.AgentToken(t.agentId(), t.id(), t.hint()), call, headers, next);
        }
        if (isSharedToken(presented)) {
            return start(new IngestCredential.SharedToken(), call, headers, next);
        }
        return refuse(call, "unknown or revoked agent token " + IssuedSecret.hintOf(presented, SecretKind.AGENT_TOKEN));
    }

    private Optional<IngestCredential> certificate(ServerCall<?, ?> call) {
        X509Certificate leaf = peerCertificate(call);
        if (leaf == null || !clientCertificates.get().issued(leaf)) {
            return Optional.empty();
        }
        Optional<String> agentId = ClientCertificates.agentId(leaf);
        if (agentId.isEmpty() || limits.name("client certificate agent id", agentId.get()) != null) {
            return Optional.empty();
        }
        return Optional.of(new IngestCredential.ClientCertificate(agentId.get(), leaf.getSubjectX500Principal().getName()));
    }

    private String clientCertificateRefusal(ServerCall<?, ?> call) {
        X509Certificate leaf = peerCertificate(call);
        if (leaf == null) {
            return "this collector requires a client certificate (portwatch.tls.client-ca is set); the stream presented none";
        }
        if (!clientCertificates.get().issued(leaf)) {
            return "the client certificate is expired or not signed by portwatch.tls.client-ca";
        }
        Optional<String> agentId = ClientCertificates.agentId(leaf);
        if (agentId.isEmpty()) {
            return "the client certificate names no agent: give it a SAN URI " + ClientCertificates.AGENT_URI_PREFIX
                    + "<agent id> or the agent id as its CN";
        }
        return limits.name("client certificate agent id", agentId.get());
    }

    private static X509Certificate peerCertificate(ServerCall<?, ?> call) {
        // The Vert.x gRPC server (one server with HTTP) fills this attribute from the HTTP connection.
        SSLSession ssl = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static <Q, A> ServerCall.Listener<Q> start(IngestCredential credential, ServerCall<Q, A> call,
            Metadata headers, ServerCallHandler<Q, A> next) {
        return Contexts.interceptCall(Context.current().withValue(IngestCredential.CURRENT, credential), call, headers, next);
    }

    private <Q> ServerCall.Listener<Q> refuse(ServerCall<Q, ?> call, String why) {
        // DEBUG, not WARN: anyone who reaches the port can cause it; the counter shows the rate.
        refused.increment();
        Log.debugf("agent stream refused: %s", why);
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    /**
     * A listener that keeps the call's events until the real listener is known, then hands them
     * on in order. Events and start both run on the call's Vert.x context; synchronized all the same.
     */
    private static final class DeferredListener<Q> extends ServerCall.Listener<Q> {

        private ServerCall.Listener<Q> delegate;
        private final List<Consumer<ServerCall.Listener<Q>>> pending = new ArrayList<>();
        private boolean cancelled;

        synchronized boolean cancelled() {
            return cancelled;
        }

        void start(ServerCall.Listener<Q> listener) {
            List<Consumer<ServerCall.Listener<Q>>> events;
            synchronized (this) {
                delegate = listener;
                events = List.copyOf(pending);
                pending.clear();
            }
            events.forEach(e -> e.accept(listener));
        }

        private void on(Consumer<ServerCall.Listener<Q>> event) {
            ServerCall.Listener<Q> target;
            synchronized (this) {
                target = delegate;
                if (target == null) {
                    pending.add(event);
                    return;
                }
            }
            event.accept(target);
        }

        @Override
        public void onMessage(Q message) {
            on(l -> l.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            on(ServerCall.Listener::onHalfClose);
        }

        @Override
        public void onCancel() {
            synchronized (this) {
                cancelled = true;
            }
            on(ServerCall.Listener::onCancel);
        }

        @Override
        public void onComplete() {
            on(ServerCall.Listener::onComplete);
        }

        @Override
        public void onReady() {
            on(ServerCall.Listener::onReady);
        }
    }
}
