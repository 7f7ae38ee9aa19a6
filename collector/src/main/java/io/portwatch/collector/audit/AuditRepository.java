package io.portwatch.collector.audit;

import io.portwatch.collector.history.HistoryCursor;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The only owner of table {@code audit_log}, on Panache (plain CRUD): appends rows and pages them
 * newest first on (at, id), keyset-paged so that each page walks the (at, id) index, or the
 * (action, at, id) one when filtered.
 */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEntity, Long> {

    private static final Sort NEWEST_FIRST = Sort.descending("at", "id");

    /**
     * Appends one row, in the caller's transaction when there is one (so it commits or rolls back
     * with the write it records), else in its own.
     */
    @Transactional
    void insert(Instant at, String actor, String authMethod, String action, String target, String beforeJson,
            String afterJson) {
        AuditEntity e = new AuditEntity();
        e.at = at;
        e.actor = actor;
        e.authMethod = authMethod;
        e.action = action;
        e.target = target;
        e.before = beforeJson;
        e.after = afterJson;
        persist(e);
    }

    /** Newest first, strictly older than {@code before} (a cursor of a previous page) when given; {@code action} filters exactly. */
    @Transactional
    public AuditPage page(String before, String action, int limit) {
        HistoryCursor after = before == null || before.isBlank() ? null : HistoryCursor.decode("before", before);
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (after != null) {
            where.append(" and (at, id) < (:at, :id)"); // a row comparison: one range of the (at, id) index
            params.and("at", after.observedAt()).and("id", after.id());
        }
        if (action != null) {
            where.append(" and action = :action");
            params.and("action", action);
        }
        // range is inclusive: limit + 1 rows, the last only to tell whether another page follows.
        List<AuditEntry> fetched = find(where.toString(), NEWEST_FIRST, params).range(0, limit).stream()
                .map(AuditEntity::entry).toList();
        if (fetched.size() <= limit) {
            return new AuditPage(fetched, null);
        }
        AuditEntry last = fetched.get(limit - 1);
        return new AuditPage(fetched.subList(0, limit), new HistoryCursor(last.at(), last.id()).encode());
    }
}
