package io.portwatch.collector.db;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Server settings of the embedded PostgreSQL: production defaults sized for a collector's write
 * load, overridden or extended by {@code PORTWATCH_EMBEDDED_PG_SETTINGS} (or the system property
 * {@code portwatch.embedded-pg.settings}), a comma-separated list of {@code name=value}.
 *
 * <p>PostgreSQL's own defaults are sized for any machine: 128 MB of shared buffers made ingest
 * backends write out index pages themselves, and a 1 GB WAL limit checkpointed every few minutes
 * under load, each checkpoint followed by a burst of full-page images in the WAL.
 */
public final class EmbeddedPostgresSettings {

    public static final String ENV = "PORTWATCH_EMBEDDED_PG_SETTINGS";
    public static final String PROPERTY = "portwatch.embedded-pg.settings";

    /** The defaults, before what the operator sets. */
    static final Map<String, String> DEFAULTS = Map.of("shared_buffers", "512MB", "max_wal_size", "4GB");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]*");

    private EmbeddedPostgresSettings() {}

    /**
     * The defaults with {@code list} applied.
     *
     * @param list {@code name=value[,name=value…]}, or null or blank for the defaults only
     * @throws IllegalArgumentException naming the setting source and the item that breaks the rule
     */
    public static Map<String, String> parse(String list) {
        Map<String, String> out = new LinkedHashMap<>(DEFAULTS);
        if (list == null || list.isBlank()) {
            return Collections.unmodifiableMap(out);
        }
        for (String item : list.split(",")) {
            String trimmed = item.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException(ENV + ": \"" + trimmed + "\" is not name=value (items are separated by commas)");
            }
            String name = trimmed.substring(0, eq).trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(ENV + ": \"" + name + "\" is not a PostgreSQL setting name (lower case letters, digits, _ and .)");
            }
            out.put(name, trimmed.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(out);
    }
}
