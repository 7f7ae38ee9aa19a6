package io.portwatch.collector.alert.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The one owner of table {@code alert_rule}, on Panache (plain CRUD): the rules created through
 * the API, stored as the document the API received (re-read on load). Each method joins the
 * caller's transaction, or runs in its own.
 */
@ApplicationScoped
public class AlertRuleRepository implements PanacheRepositoryBase<AlertRuleEntity, String> {

    private final ObjectMapper json;

    AlertRuleRepository(ObjectMapper json) {
        this.json = json;
    }

    @Transactional
    public List<AlertRule> all() {
        List<AlertRule> out = new ArrayList<>();
        for (AlertRuleEntity e : listAll(Sort.by("name"))) {
            RuleReader.Parsed<AlertRule> parsed = RuleReader.one(e.definition);
            if (parsed.ok()) {
                out.add(parsed.value());
            } else {
                Log.errorf("stored alert rule %s is no longer valid, ignored: %s", e.name, parsed.errors());
            }
        }
        return out;
    }

    /**
     * The stored rule of that name, its row locked ({@code PESSIMISTIC_WRITE}) until the caller's
     * transaction ends, so the audit log's "before" is the version a replace or delete in that
     * transaction changes.
     */
    @Transactional
    public Optional<AlertRule> lock(String name) {
        return findByIdOptional(name, LockModeType.PESSIMISTIC_WRITE).flatMap(e -> {
            RuleReader.Parsed<AlertRule> parsed = RuleReader.one(e.definition);
            return parsed.ok() ? Optional.of(parsed.value()) : Optional.empty();
        });
    }

    /** Changes whenever a rule is created, replaced or deleted, by any collector replica. */
    @Transactional
    public String stamp() {
        Object[] countAndLatest = getEntityManager()
                .createQuery("select count(r), max(r.updatedAt) from AlertRuleEntity r", Object[].class).getSingleResult();
        return countAndLatest[0] + "/" + (countAndLatest[1] == null ? "" : countAndLatest[1]);
    }

    /**
     * @return false when a rule of that name is stored already, or another transaction stored one
     *     just now (then this transaction is rollback-only: the caller refuses the write, as the
     *     API does with a 409)
     */
    @Transactional
    public boolean insert(AlertRule rule, Instant now) {
        if (findById(rule.name()) != null) {
            return false;
        }
        AlertRuleEntity e = new AlertRuleEntity();
        e.name = rule.name();
        e.definition = document(rule);
        e.createdAt = now;
        e.updatedAt = now;
        try {
            persist(e);
            flush(); // a concurrent insert of the name fails here, as "on conflict do nothing" would have said
            return true;
        } catch (PersistenceException ex) {
            if (duplicateName(ex)) {
                return false;
            }
            throw ex;
        }
    }

    /** @return false when no rule of that name is stored */
    @Transactional
    public boolean replace(AlertRule rule, Instant now) {
        AlertRuleEntity e = findById(rule.name());
        if (e == null) {
            return false;
        }
        e.definition = document(rule);
        e.updatedAt = now;
        return true;
    }

    /** @return false when no rule of that name is stored */
    @Transactional
    public boolean delete(String name) {
        return deleteById(name);
    }

    private static boolean duplicateName(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private String document(AlertRule rule) {
        try {
            return json.writeValueAsString(rule.document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
