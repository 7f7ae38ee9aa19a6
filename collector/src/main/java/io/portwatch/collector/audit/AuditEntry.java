package io.portwatch.collector.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
        @Schema(type = SchemaType.OBJECT, nullable = true, description = "the object before the write, as the API showed it")
        @JsonRawValue String before,
        @Schema(type = SchemaType.OBJECT, nullable = true, description = "the object after the write, as the API shows it")
        @JsonRawValue String after) {}
