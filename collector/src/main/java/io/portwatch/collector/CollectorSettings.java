package io.portwatch.collector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the collector: prefix {@code portwatch}, env vars {@code PORTWATCH_*}. */
@ConfigMapping(prefix = "portwatch")
public interface CollectorSettings {

    Ingest ingest();

    /** Transport security of the HTTP port, which serves REST and gRPC alike. */
    Tls tls();

    Retention retention();

    Rollups rollups();

    /** Notification channels by name: {@code portwatch.notifiers."ops-webhook".type=webhook}. */
    Map<String, Notifier> notifiers();

    /** How the notification outbox is delivered: polling, backoff, giving up. */
    Outbox outbox();

    Alerts alerts();

    Api api();

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

    interface Notifier {
        /** webhook, slack, email or alertmanager. */
        io.portwatch.collector.alert.notify.NotifierType type();

        /** webhook and slack: where to POST; alertmanager: its base URL (…/api/v2/alerts is appended). */
        Optional<java.net.URI> url();

        /** webhook: HMAC-SHA256 key of the X-Portwatch-Signature header; unset sends unsigned. */
        Optional<String> secret();

        /** email: sender; unset uses quarkus.mailer.from. */
        Optional<String> from();

        /** email: recipients. */
        Optional<List<String>> to();

        /** alertmanager: generatorURL of each alert; {alertId} is replaced by the alert's id. */
        Optional<String> generatorUrl();

        /** Connect timeout of the HTTP channels. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Whole-request timeout (HTTP response, or SMTP send). */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Outbox {
        /**
         * How often the leader looks for due notifications. The scheduler reads the key
         * ({@code @Scheduled(every = "${portwatch.outbox.poll-interval}")}); its default is this one.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** At most this many notifications are claimed per poll. */
        @WithDefault("50")
        int batchSize();

        /** Deliveries run in parallel on this many threads, so one slow receiver does not hold up the others. */
        @WithDefault("4")
        int threads();

        /** Delay after the first failed attempt; it doubles with every further failure. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The doubling stops here. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** After this many failed attempts a notification is marked failed and not retried. */
        @WithDefault("25")
        int maxAttempts();

        /** A notification still undelivered this long after it was enqueued is marked failed. */
        @WithDefault("24h")
        Duration maxAge();

        /**
         * A claimed notification is not claimed again for this long: it covers the delivery in flight
         * (longer than any notifier timeout), and a crashed deliverer's claim expires after it.
         */
        @WithDefault("1m")
        Duration lease();

        /** Channels of a notification whose rule names none; unset means every configured notifier. */
        Optional<List<String>> defaultChannels();

        /**
         * Alertmanager forgets a firing alert that is not re-sent within its resolve_timeout (5m by
         * default): the leader re-sends every alert still firing this often.
         */
        @WithDefault("1m")
        Duration alertmanagerRefresh();

        /** Delivered and failed notifications are deleted this long after they were enqueued. */
        @WithDefault("30d")
        Duration retention();
    }

    interface Alerts {
        /**
         * The alert rules file (YAML). When it does not exist only the shipped default rule (any
         * unhealthy check, after 3 results) is in force; when it has errors the collector does not start.
         */
        @WithDefault("config/alert-rules.yaml")
        java.nio.file.Path rulesFile();

        /** An agent silent (no batch, heartbeat or hello) this long raises one AGENT_DOWN alert. */
        @WithDefault("60s")
        Duration agentDownAfter();

        /** Severity of AGENT_DOWN alerts: critical, warning or info. */
        @WithDefault("critical")
        io.portwatch.collector.alert.rule.Severity agentDownSeverity();

        /** Notifiers told of AGENT_DOWN alerts; none given means every configured notifier. */
        Optional<java.util.List<String>> agentDownChannels();

        /** A check instance of a live agent with no result for this many of its intervals raises NO_DATA. */
        @WithDefault("3")
        int noDataIntervals();

        /**
         * How often the leader sweeps: {@code for:} conditions, agent-down, no-data. The scheduler
         * reads the key, and its default is this one; {@code off} disables the sweep (tests drive it themselves).
         */
        @WithDefault("5s")
        String sweepInterval();

        /**
         * How often the leader takes the batches that other replicas stored (alert_inbox) for
         * evaluation; the scheduler reads the key, and its default is this one. Agents connected to a follower are
         * evaluated this much later than those connected to the leader.
         */
        @WithDefault("1s")
        String inboxInterval();

        /** Evaluation work queued beyond this many batches makes ingest wait (back-pressure). */
        @WithDefault("10000")
        int queueCapacity();

        /**
         * Results of stored batches queued for evaluation beyond this make ingest wait, and with
         * it the agents (back-pressure). A queued result holds about 250 bytes of heap: the
         * default about 12 MB. The engine evaluates up to 64 queued batches in one transaction.
         */
        @WithDefault("50000")
        int maxQueuedResults();
    }
}
