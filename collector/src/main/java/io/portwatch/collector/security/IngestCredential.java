package io.portwatch.collector.security;

import io.grpc.Context;
import java.util.Optional;

/**
 * What an agent stream authenticated with, decided once per stream by {@link IngestAuthInterceptor}
 * and carried to the stream in the gRPC {@link Context} ({@link #CURRENT}). A credential either binds
 * the stream to one agent id (a per-agent token, a client certificate) or lets it speak for any
 * (the shared token, an anonymous stream where that is allowed).
 */
public sealed interface IngestCredential {

    Context.Key<IngestCredential> CURRENT = Context.key("portwatch.ingest.credential");

    /** The agent id this credential is bound to; empty when it may send as any agent. */
    Optional<String> boundAgentId();

    /** How a refusal names this credential: "this client certificate", "token pwa_Ab12Cd…". */
    String describe();

    /** The shared {@code portwatch.ingest.token}: any agent id. */
    record SharedToken() implements IngestCredential {
        @Override
        public Optional<String> boundAgentId() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "the shared ingest token";
        }
    }

    /** A per-agent token ({@code agent_token} row {@code tokenId}), bound to {@code agentId}. */
    record AgentToken(String agentId, long tokenId, String hint) implements IngestCredential {
        @Override
        public Optional<String> boundAgentId() {
            return Optional.of(agentId);
        }

        @Override
        public String describe() {
            return "token " + tokenId + " (" + hint + ")";
        }
    }

    /** A verified client certificate (mTLS); {@code subject} is its distinguished name, for logs. */
    record ClientCertificate(String agentId, String subject) implements IngestCredential {
        @Override
        public Optional<String> boundAgentId() {
            return Optional.of(agentId);
        }

        @Override
        public String describe() {
            return "this client certificate";
        }
    }

    /** No credential, accepted because {@code portwatch.ingest.allow-anonymous} is true. */
    record Anonymous() implements IngestCredential {
        @Override
        public Optional<String> boundAgentId() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "an anonymous stream";
        }
    }

    /**
     * Null when this credential may send as {@code agentId}, else why not, naming both ids:
     * {@code agent id 'b' in Hello does not match 'a' bound to this client certificate}.
     */
    default String refusal(String agentId) {
        Optional<String> bound = boundAgentId();
        if (bound.isEmpty() || bound.get().equals(agentId)) {
            return null;
        }
        return "agent id '" + agentId + "' in Hello does not match '" + bound.get() + "' bound to " + describe();
    }
}
