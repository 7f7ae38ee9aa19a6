package io.portwatch.collector.alert.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The notifiers' settings: {@code portwatch.notifiers.<name>.*} and {@code portwatch.outbox.*}
 * (env vars {@code PORTWATCH_NOTIFIERS_*}, {@code PORTWATCH_OUTBOX_*}). Prefix {@code portwatch}
 * like {@code CollectorSettings}, which maps the other keys under it.
 */
@ConfigMapping(prefix = "portwatch")
public interface NotifierSettings {

    /** Notification channels by name: {@code portwatch.notifiers."ops-webhook".type=webhook}. */
    Map<String, Notifier> notifiers();

    /** How the notification outbox is delivered: polling, backoff, giving up. */
    Outbox outbox();

    interface Notifier {
        /** webhook, slack, email or alertmanager. */
        NotifierType type();

        /** webhook and slack: where to POST; alertmanager: its base URL (…/api/v2/alerts is appended). */
        Optional<URI> url();

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
        /** How often the leader looks for due notifications (also right after each enqueue). */
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
}
