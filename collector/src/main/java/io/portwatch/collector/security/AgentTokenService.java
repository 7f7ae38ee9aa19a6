package io.portwatch.collector.security;

import io.portwatch.collector.audit.AuditLog;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Per-agent ingest tokens, for the API and the CLI alike: issued (the secret leaves once, the
 * table keeps its hash), listed, revoked, each write in the audit log with its own transaction.
 */
@ApplicationScoped
public class AgentTokenService {

    /** A new token and its secret, which the caller shows once. */
    public record Issued(AgentToken token, String secret) {
        @Override
        public String toString() {
            return "Issued[" + token + "]"; // never the secret
        }
    }

    public enum Refusal { NOT_FOUND, ALREADY_REVOKED }

    private final AgentTokenRepository tokens;
    private final TokenStreams streams;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    AgentTokenService(AgentTokenRepository tokens, TokenStreams streams, AuditLog audit) {
        this.tokens = tokens;
        this.streams = streams;
        this.audit = audit;
    }

    public Issued create(String agentId, String createdBy) {
        IssuedSecret secret = IssuedSecret.issue(SecretKind.AGENT_TOKEN);
        Instant now = clock.instant();
        AgentToken token = QuarkusTransaction.requiringNew().call(() -> {
            AgentToken t = tokens.insert(agentId, secret, createdBy, now);
            audit.record("agent-token.create", target(t), null, t);
            return t;
        });
        Log.infof("agent token %d (%s) created for agent %s by %s", token.id(), token.hint(), agentId, createdBy);
        return new Issued(token, secret.plaintext());
    }

    public List<AgentToken> ofAgent(String agentId) {
        return tokens.ofAgent(agentId);
    }

    /**
     * Revokes a token: its next streams are refused at once (no cache), and its live streams on
     * this replica end; other replicas' live streams end at their next reconnect.
     */
    public Optional<Refusal> revoke(String agentId, long id, String by) {
        Instant now = clock.instant();
        Optional<Refusal> refusal = QuarkusTransaction.requiringNew().call(() -> {
            Optional<AgentToken> before = tokens.byId(agentId, id);
            if (before.isEmpty()) {
                return Optional.of(Refusal.NOT_FOUND);
            }
            if (!tokens.revoke(agentId, id, now)) {
                return Optional.of(Refusal.ALREADY_REVOKED);
            }
            audit.record("agent-token.revoke", target(before.get()), before.get(), tokens.byId(agentId, id).orElseThrow());
            return Optional.<Refusal>empty();
        });
        if (refusal.isEmpty()) {
            // After the commit: a stream that reconnects at once must find the token revoked.
            int ended = streams.revoke(id, "agent token " + id + " was revoked");
            Log.infof("agent token %d of agent %s revoked by %s; %d live streams ended", id, agentId, by, ended);
        }
        return refusal;
    }

    private static String target(AgentToken t) {
        return "agent/" + t.agentId() + "/token/" + t.id();
    }
}
