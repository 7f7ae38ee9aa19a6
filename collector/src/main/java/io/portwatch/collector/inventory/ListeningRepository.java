package io.portwatch.collector.inventory;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The only owner of {@code listening_socket} and {@code listening_host} (one aggregate: a host's
 * inventory), on Panache: plain CRUD, a few hundred rows per agent.
 */
@ApplicationScoped
public class ListeningRepository implements PanacheRepositoryBase<ListeningSocketEntity, Long> {

    /** The sockets {@code agentId} lists now (no gone_at), for a new inventory to be compared with. */
    List<ListeningSocketEntity> open(String agentId) {
        return list("agentId = ?1 and goneAt is null", agentId);
    }

    /** Every socket some agent lists now, by agent, protocol and port. */
    public List<ListeningSocketEntity> allOpen() {
        return list("goneAt is null", Sort.by("agentId", "proto", "port", "address"));
    }

    public Optional<ListeningHostEntity> host(String agentId) {
        return Optional.ofNullable(getEntityManager().find(ListeningHostEntity.class, agentId));
    }

    void saveHost(ListeningHostEntity host) {
        getEntityManager().merge(host);
    }

    /** Every host's newest addresses. */
    public List<ListeningHostEntity> hosts() {
        return getEntityManager().createQuery("from ListeningHostEntity", ListeningHostEntity.class).getResultList();
    }

    /** The sockets {@code agentId} listed at {@code at}, by protocol, port and address. */
    public List<ListeningSocketView> at(String agentId, Instant at) {
        return list("agentId = :agent and appearedAt <= :at and (goneAt is null or goneAt > :at)",
                Sort.by("proto", "port", "address"), Parameters.with("agent", agentId).and("at", at))
                .stream().map(ListeningSocketEntity::view).toList();
    }

    /** What appeared and what went in [from, to), newest first, at most {@code limit}. */
    public List<ListeningChange> changes(String agentId, Instant from, Instant to, int limit) {
        Parameters p = Parameters.with("agent", agentId).and("from", from).and("to", to);
        List<ListeningChange> changes = new ArrayList<>();
        find("agentId = :agent and appearedAt >= :from and appearedAt < :to", Sort.descending("appearedAt", "id"), p)
                .range(0, limit - 1).stream()
                .forEach(e -> changes.add(new ListeningChange(e.appearedAt, ListeningChange.Kind.appeared, e.view())));
        find("agentId = :agent and goneAt >= :from and goneAt < :to", Sort.descending("goneAt", "id"), p)
                .range(0, limit - 1).stream()
                .forEach(e -> changes.add(new ListeningChange(e.goneAt, ListeningChange.Kind.gone, e.view())));
        changes.sort(Comparator.comparing(ListeningChange::at).reversed());
        return changes.subList(0, Math.min(limit, changes.size()));
    }

    /** Whether the agent ever sent an inventory. */
    public boolean known(String agentId) {
        return host(agentId).isPresent();
    }
}
