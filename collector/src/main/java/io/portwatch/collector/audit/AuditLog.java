package io.portwatch.collector.audit;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records every write made through the API: who (the caller's identity), what ({@code action},
 * e.g. {@code silence.create}, and {@code target}, e.g. {@code silence/42}), when, and the state
 * before and after (JSON-serialisable views, or null for none). Called inside the write's own
 * transaction, so a write and its record commit together. Secrets are never passed here: pass views
 * that hold only hints.
 */
@ApplicationScoped
public class AuditLog {

    public void record(String action, String target, Object before, Object after) {
        // Stub on main until the audit_log table lands (issue 15, audit work): callers compile now.
    }
}
