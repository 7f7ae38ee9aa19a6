package io.portwatch.collector.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresSettingsTest {

    @Test
    void withNothingSetTheDefaultsApply() {
        assertEquals(Map.of("shared_buffers", "512MB", "max_wal_size", "4GB"), EmbeddedPostgresSettings.parse(null));
        assertEquals(EmbeddedPostgresSettings.DEFAULTS, EmbeddedPostgresSettings.parse("  "));
    }

    @Test
    void theOperatorsSettingsOverrideAndExtendTheDefaults() {
        Map<String, String> s = EmbeddedPostgresSettings.parse("shared_buffers=2GB, work_mem = 64MB,pg_stat_statements.track=all");
        assertEquals("2GB", s.get("shared_buffers"));
        assertEquals("64MB", s.get("work_mem"));
        assertEquals("all", s.get("pg_stat_statements.track"));
        assertEquals("4GB", s.get("max_wal_size"));
    }

    @Test
    void aMalformedItemIsNamedWithTheRule() {
        var e = assertThrows(IllegalArgumentException.class, () -> EmbeddedPostgresSettings.parse("shared_buffers=1GB,work_mem"));
        assertEquals("PORTWATCH_EMBEDDED_PG_SETTINGS: \"work_mem\" is not name=value (items are separated by commas)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmbeddedPostgresSettings.parse("Shared Buffers=1GB"));
        assertEquals("PORTWATCH_EMBEDDED_PG_SETTINGS: \"Shared Buffers\" is not a PostgreSQL setting name"
                + " (lower case letters, digits, _ and .)", e.getMessage());
    }
}
