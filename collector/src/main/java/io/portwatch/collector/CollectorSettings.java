package io.portwatch.collector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the collector: prefix {@code portwatch}, env vars {@code PORTWATCH_*}. The alert
 * engine's ({@code portwatch.alerts.*}) and the notifiers' ({@code portwatch.notifiers.*},
 * {@code portwatch.outbox.*}) are in their packages' own mappings, {@code alert.AlertSettings} and
 * {@code alert.notify.NotifierSettings}: settings name those packages' types (a severity, a notifier
 * type), and the root package, which every package reads, depends on none of them.
 */
@ConfigMapping(prefix = "portwatch")
public interface CollectorSettings {

    Ingest ingest();

    /** Transport security of the HTTP port, which serves REST and gRPC alike. */
    Tls tls();

    Retention retention();

    Rollups rollups();

    Api api();

    Leader leader();

    /** The replicas' leader election (a PostgreSQL advisory lock, {@code leader.LeaderLock}). */
    interface Leader {
        /**
         * How often a replica checks that it still holds the leader lock, or tries to take it: a
         * dead leader's lock is taken over within about this long.
         */
        @WithDefault("2s")
        Duration refreshInterval();
    }

    /** Limits on every string and count the collector accepts from the network (agents and the API). */
    Limits limits();

    /**
     * What the collector accepts from agents and API clients before anything reaches the database.
     * Lengths count characters (Unicode code points). Every string is also refused when it holds a
     * control character (free text may hold tab, newline and carriage return). Raise a limit when
     * your names are longer; gRPC's message size ({@code quarkus.grpc.server.max-inbound-message-size})
     * still bounds a whole message.
     */
    interface Limits {
        /** Agent ids, check names, versions, config hashes, rule names. */
        @WithDefault("128")
        int nameLength();

        /** Host names, targets and probed addresses (a DNS name has at most 253 characters). */
        @WithDefault("253")
        int hostLength();

        @WithDefault("64")
        int labelKeyLength();

        @WithDefault("256")
        int labelValueLength();

        /** Labels of one agent (Hello) or of one check instance. */
        @WithDefault("64")
        int labels();

        /** Free text: a result's detail. */
        @WithDefault("1024")
        int textLength();

        /**
         * Sockets in one agent's listening inventory (the agent sends at most
         * {@code portwatch.inventory.max-sockets}, 4096 by default); a larger one is not stored,
         * and the log says so. Host addresses in it: a sixteenth of this.
         */
        @WithDefault("4096")
        int listeningSockets();

        /** Check instances in one agent's catalog (an agent has one catalog at a time). */
        @WithDefault("100000")
        int instancesPerCatalog();

        /**
         * Check instance rows one agent may have in all: those of its catalog, those it no longer
         * lists (kept for their history) and those made from the key of a result its catalog
         * lacked. Without it an agent could create rows without end, batch after batch.
         */
        @WithDefault("100000")
        int instancesPerAgent();

        /** Results in one batch. */
        @WithDefault("10000")
        int resultsPerBatch();
    }

    interface Api {
        /**
         * The check list keeps each check's JSON, by row version, for this many checks (about
         * 400 bytes each): a listing then reads only the versions of unchanged rows. 0 turns it off.
         */
        @WithDefault("100000")
        int listCacheRows();
    }

    /**
     * TLS from PEM files. The settings are read twice: here, and by TransportTlsConfig, which turns
     * them into the Quarkus TLS registry configuration {@code portwatch} of the HTTP server (and
     * refuses plaintext requests) before the server starts.
     */
    interface Tls {
        /** The server's certificate chain (PEM); with {@code key}, REST and gRPC are served only over TLS, on quarkus.http.ssl-port. */
        Optional<java.nio.file.Path> cert();

        /** The private key of {@code cert} (PEM, PKCS#8 or PKCS#1). */
        Optional<java.nio.file.Path> key();

        /**
         * CA certificates (PEM) of agent client certificates. When set, the server asks every
         * client for a certificate (REST clients may still go without and use API keys), and an
         * agent stream must present one signed by this CA; its agent id is the certificate's SAN
         * URI {@code portwatch:agent:<id>}, or else its CN.
         */
        Optional<java.nio.file.Path> clientCa();
    }

    interface Ingest {
        /**
         * The shared bearer token ({@code authorization: Bearer <token>}) with which an agent may
         * send as any agent id. Per-agent tokens (table agent_token) work with or without it.
         */
        Optional<String> token();

        /**
         * Accepts agent streams that present no credential, as any agent id. Off by default: with
         * no credential configured at all, every stream is refused and the refusal says what to set.
         */
        @WithDefault("false")
        boolean allowAnonymous();

        /**
         * Results observed further in the future than this (a broken agent clock) are skipped,
         * as they would create partitions for dates that have not come.
         */
        @WithDefault("1h")
        Duration maxClockSkew();

        /**
         * Messages of one agent stream the collector reads ahead of what it has stored. Beyond
         * it the agent waits on HTTP/2 flow control. Batches waiting together are stored in one
         * transaction, so a larger window also means larger transactions under load (and one
         * read and at most one write of each check's state for more of its results).
         */
        @WithDefault("16")
        @WithName("stream-window")
        int streamWindow();

        /**
         * Agent streams that write to the database at the same time (default: the number of
         * CPUs, at least 2). The others wait their turn with their messages queued, so a turn
         * stores more batches in one transaction, and fewer sessions compete for the same table
         * and index pages.
         */
        Optional<Integer> writers();

        /**
         * Bytes of agent messages (as sent, protobuf-encoded) that all streams together read
         * ahead of what is stored. Beyond it no stream reads more and the agents wait on HTTP/2
         * flow control, however many they are. A message takes about 3 times its encoded size of
         * heap once read (a batch of 500 results: about 40 KB sent, 120 KB read), so the default
         * holds about 25 MB of heap: 200 batches of 500 results, enough to keep 12 streams at
         * full window (16).
         */
        @WithDefault("8M")
        // Named, so that a plain SmallRye config (the settings tests) converts "8M" too.
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        io.quarkus.runtime.configuration.MemorySize maxBuffered();
    }

    interface Retention {
        /** Raw results are kept this many days, then their daily partitions are dropped. */
        @WithDefault("30")
        int rawDays();

        /** Hourly and daily rollups (uptime, latency percentiles) are kept this many days. */
        @WithDefault("400")
        int rollupDays();

        /** Daily partitions of raw results are created this many days ahead. */
        @WithDefault("3")
        int partitionsAheadDays();
    }

    /**
     * How committed results reach the hourly and daily rollups (and each check's newest result):
     * the rollup folder sums them in memory and adds the sums in transactions of its own, off
     * the ingest path. Reads do not wait for it: uptime adds the results not yet folded.
     */
    interface Rollups {
        /**
         * How often the folder adds what committed since its last fold. Longer folds carry more
         * results per rollup row (less database work per result under load); a check's newest
         * result time and latency reach its current state this much later.
         */
        @WithDefault("2s")
        Duration foldInterval();

        /**
         * It folds sooner once this many results are waiting. Each fold rewrites one hourly and
         * one daily row of every check it carries, so under load larger folds cost the database
         * less per result (the folder holds sums per check and hour, not the results).
         */
        @WithDefault("500000")
        int foldRows();

        /**
         * With this many results waiting (the database keeps up with ingest but not with the
         * folds), ingest waits for the folder, and with it the agents.
         */
        @WithDefault("2000000")
        int maxPendingRows();

        /**
         * Backlog blocks older than this that no live folder holds (their collector crashed, or
         * its fold failed) are read back from the raw results and folded by any replica.
         */
        @WithDefault("30s")
        Duration orphanAfter();

        /** How often each replica looks for such blocks. */
        @WithDefault("10s")
        Duration recoverInterval();
    }
}
