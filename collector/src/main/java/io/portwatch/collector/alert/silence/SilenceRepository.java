package io.portwatch.collector.alert.silence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one owner of table {@code silence}, on Panache (plain CRUD). Each method joins the caller's
 * transaction, or runs in its own. Expiry needs no job: a silence past {@code ends_at} simply no
 * longer matches.
 */
@ApplicationScoped
public class SilenceRepository implements PanacheRepositoryBase<SilenceEntity, Long> {

    private final ObjectMapper json;

    SilenceRepository(ObjectMapper json) {
        this.json = json;
    }

    @Transactional
    public Silence insert(SilenceReader.Draft d, Instant now) {
        SilenceEntity e = new SilenceEntity();
        fill(e, d);
        e.createdAt = now;
        persist(e);
        return new Silence(e.id, d.matchers(), d.startsAt(), d.endsAt(), d.comment(), d.createdBy(), now);
    }

    /** @return false when there is no silence {@code id} */
    @Transactional
    public boolean replace(long id, SilenceReader.Draft d) {
        SilenceEntity e = findById(id);
        if (e == null) {
            return false;
        }
        fill(e, d);
        return true;
    }

    @Transactional
    public boolean delete(long id) {
        return deleteById(id);
    }

    @Transactional
    public Optional<Silence> byId(long id) {
        return findByIdOptional(id).map(SilenceEntity::silence);
    }

    /**
     * Like {@link #byId}, the row locked ({@code PESSIMISTIC_WRITE}) until the caller's transaction
     * ends: the audit log's "before".
     */
    @Transactional
    public Optional<Silence> lock(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE).map(SilenceEntity::silence);
    }

    /** Every silence, newest first. */
    @Transactional
    public List<Silence> all() {
        return listAll(Sort.descending("id")).stream().map(SilenceEntity::silence).toList();
    }

    /** The silences in force at {@code now}, in the caller's transaction (the alert engine's). */
    @Transactional
    public List<Silence> active(Instant now) {
        return find("startsAt <= ?1 and endsAt > ?1", Sort.by("id"), now).list().stream().map(SilenceEntity::silence).toList();
    }

    private void fill(SilenceEntity e, SilenceReader.Draft d) {
        try {
            e.matchers = json.writeValueAsString(d.matchers().document());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        e.startsAt = d.startsAt();
        e.endsAt = d.endsAt();
        e.comment = d.comment();
        e.createdBy = d.createdBy();
    }
}
