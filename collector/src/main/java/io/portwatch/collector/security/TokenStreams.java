package io.portwatch.collector.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live agent streams of each per-agent token on this replica, so that revoking a token also
 * ends the streams it opened, not only the next ones. Streams on other replicas keep running until
 * they reconnect (then the revoked token is refused): a revocation is not broadcast.
 */
@ApplicationScoped
public class TokenStreams {

    /** A stream that can be ended from outside, with UNAUTHENTICATED and {@code why}. */
    public interface Revocable {
        void revoke(String why);
    }

    private final ConcurrentHashMap<Long, Set<Revocable>> byToken = new ConcurrentHashMap<>();

    public void opened(long tokenId, Revocable stream) {
        byToken.computeIfAbsent(tokenId, k -> ConcurrentHashMap.newKeySet()).add(stream);
    }

    public void closed(long tokenId, Revocable stream) {
        byToken.computeIfPresent(tokenId, (k, streams) -> {
            streams.remove(stream);
            return streams.isEmpty() ? null : streams;
        });
    }

    /** Ends every live stream of the token; returns how many. */
    public int revoke(long tokenId, String why) {
        Set<Revocable> streams = byToken.remove(tokenId);
        if (streams == null) {
            return 0;
        }
        streams.forEach(s -> s.revoke(why));
        return streams.size();
    }
}
