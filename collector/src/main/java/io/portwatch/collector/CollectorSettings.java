package io.portwatch.collector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Settings of the collector: prefix {@code portwatch}, env vars {@code PORTWATCH_*}. */
@ConfigMapping(prefix = "portwatch")
public interface CollectorSettings {

    Ingest ingest();

    Retention retention();

    interface Ingest {
        /**
         * Bearer token agents must present ({@code authorization: Bearer <token>}); when unset,
         * the ingest stream is open to anyone who can reach the port.
         */
        Optional<String> token();

        /**
         * Results observed further in the future than this (a broken agent clock) are skipped,
         * as they would create partitions for dates that have not come.
         */
        @WithDefault("1h")
        Duration maxClockSkew();

        /**
         * Messages of one agent stream the collector reads ahead of what it has stored. Beyond
         * it the agent waits on HTTP/2 flow control. Batches waiting together are stored in one
         * transaction, so a larger window also means larger transactions under load.
         */
        @WithDefault("8")
        @WithName("stream-window")
        int streamWindow();
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
}
