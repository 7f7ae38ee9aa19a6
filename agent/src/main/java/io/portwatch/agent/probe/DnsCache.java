package io.portwatch.agent.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Host names resolved for probes, each kept for a fixed time: {@code ttl} after a successful
 * lookup, {@code negativeTtl} after a failed one. Concurrent probes of one name share one lookup.
 *
 * <p>The JDK resolver does not expose the records' TTLs, so the times are configuration
 * ({@code portwatch.probe.dns-cache-ttl}, {@code dns-negative-cache-ttl}): a record that changes is picked up within {@code ttl} plus the JDK's own cache
 * ({@code networkaddress.cache.ttl}, 30 s by default; failures {@code
 * networkaddress.cache.negative.ttl}, 10 s), and a record with a shorter TTL is used longer than
 * it says. Without this cache every probe would hop to the resolver pool even when the JDK answers
 * from memory.
 */
public final class DnsCache {

    /** Past this many names, expired entries are swept (names dropped from the config go away). */
    private static final int SWEEP_ABOVE = 10_000;

    private static final class Entry {
        final CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
        /** Instant.MAX while the lookup runs: a pending lookup is shared, never repeated. */
        volatile Instant expires = Instant.MAX;
    }

    private final HostResolver resolver;
    private final Clock clock;
    private final Duration ttl;
    private final Duration negativeTtl;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public DnsCache(HostResolver resolver, Clock clock, Duration ttl, Duration negativeTtl) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = requireNotNegative(ttl, "ttl");
        this.negativeTtl = requireNotNegative(negativeTtl, "negativeTtl");
    }

    /**
     * The addresses of {@code host}, from the cache or from a lookup on {@code executor}. Fails with
     * the resolver's exception (usually {@link UnknownHostException}) when the name does not resolve.
     */
    public CompletableFuture<List<InetAddress>> lookup(String host, Executor executor) {
        Instant now = clock.instant();
        Entry[] fresh = new Entry[1];
        Entry entry = entries.compute(host, (h, old) -> {
            if (old != null && now.isBefore(old.expires)) {
                return old;
            }
            fresh[0] = new Entry();
            return fresh[0];
        });
        if (entry == fresh[0]) {
            start(host, entry, executor); // outside compute(): the executor may run it inline
            if (entries.size() > SWEEP_ABOVE) {
                entries.values().removeIf(e -> !now.isBefore(e.expires));
            }
        }
        return entry.lookup.copy(); // callers must not be able to complete the shared future
    }

    private void start(String host, Entry entry, Executor executor) {
        Runnable lookup = () -> {
            try {
                InetAddress[] found = resolver.resolve(host);
                if (found == null || found.length == 0) {
                    throw new UnknownHostException(host + ": no addresses");
                }
                entry.expires = clock.instant().plus(ttl);
                entry.lookup.complete(List.of(found));
            } catch (Exception | LinkageError e) {
                entry.expires = clock.instant().plus(negativeTtl);
                entry.lookup.completeExceptionally(e);
            }
        };
        try {
            executor.execute(lookup);
        } catch (RejectedExecutionException e) {
            entry.expires = clock.instant(); // the agent is stopping: nothing worth keeping
            entry.lookup.completeExceptionally(e);
        }
    }

    private static Duration requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }
}
