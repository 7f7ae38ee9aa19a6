package io.portwatch.collector;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Settings of the collector: prefix {@code portwatch}, env vars {@code PORTWATCH_*}. */
@ConfigMapping(prefix = "portwatch")
public interface CollectorSettings {

    Ingest ingest();

    interface Ingest {
        /**
         * Bearer token agents must present ({@code authorization: Bearer <token>}); when unset,
         * the ingest stream is open to anyone who can reach the port.
         */
        Optional<String> token();
    }
}
