package io.portwatch.collector.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * One recorded write, as {@code GET /api/v1/audit} shows it. {@code before} and {@code after} are
 * the JSON documents stored (the API's views at the time), passed through as they are; null when
 * there was nothing before (a create) or after (a delete).
 */
public record AuditEntry(
        long id,
        Instant at,
        String actor,
        String authMethod,
        String action,
        String target,
        @JsonRawValue String before,
        @JsonRawValue String after) {}
