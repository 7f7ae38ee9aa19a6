package io.portwatch.collector.statuspage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The status page at {@code /}: prefix {@code portwatch.status-page}, env vars {@code PORTWATCH_STATUS_PAGE_*}. */
@ConfigMapping(prefix = "portwatch.status-page")
public interface StatusPageSettings {

    /**
     * Checks per page. Each brings a 90-day bar of 90 elements, so the page stays small enough to
     * paint fast with any number of checks; the filters and the page links reach the others.
     */
    @WithDefault("100")
    @Min(1)
    @Max(1000)
    int pageSize();

    /** How often the open page fetches its content again (without reloading). */
    @WithDefault("10s")
    Duration refresh();
}
