package io.portwatch.collector.audit;

import java.util.List;

/** Newest-first audit entries; {@code nextCursor} (the next request's {@code before}) fetches older ones, null at the end. */
public record AuditPage(List<AuditEntry> entries, String nextCursor) {}
