package io.portwatch.collector.inventory;

import io.portwatch.core.check.Protocol;
import io.portwatch.core.net.IpText;
import io.portwatch.proto.v1.ListeningInventory;
import io.portwatch.proto.v1.ListeningSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stores an agent's listening inventory as history: compares the whole set it sent with the
 * sockets it listed before, closes those gone and opens those new, at the time the agent read
 * them. The message has been checked against the limits (ingest's validator) before it gets here.
 */
@ApplicationScoped
public class ListeningService {

    private final ListeningRepository repository;

    ListeningService(ListeningRepository repository) {
        this.repository = repository;
    }

    /** What changed, for the log and the tests. */
    public record Applied(int appeared, int gone, boolean stale) {}

    /**
     * @param receivedAt the collector's clock: an agent's reading time later than it (a clock
     *     ahead) is taken as now, so that history never holds the future
     */
    @Transactional
    public Applied apply(String agentId, ListeningInventory inventory, Instant receivedAt) {
        Instant observed = inventory.getObservedAtMs() <= 0 ? receivedAt
                : min(Instant.ofEpochMilli(inventory.getObservedAtMs()), receivedAt);
        ListeningHostEntity host = repository.host(agentId).orElseGet(ListeningHostEntity::new);
        if (host.observedAt != null && observed.isBefore(host.observedAt)) {
            return new Applied(0, 0, true); // an older reading, delivered late: the newer one stands
        }
        host.agentId = agentId;
        host.observedAt = observed;
        host.truncated = inventory.getTruncated();
        host.addresses = inventory.getHostAddressesList().stream().map(b -> IpText.of(b.toByteArray()))
                .distinct().toArray(String[]::new);
        repository.saveHost(host);

        Set<SocketKey> now = new LinkedHashSet<>();
        for (ListeningSocket s : inventory.getSocketsList()) {
            now.add(new SocketKey(Protocol.fromProto(s.getProtoValue()), IpText.of(s.getAddress().toByteArray()),
                    s.getPort(), Integer.toUnsignedLong(s.getUid()), s.getPid() == 0 ? null : s.getPid(), s.getPid() == 0 ? null : s.getCommand()));
        }
        Map<SocketKey, ListeningSocketEntity> before = new HashMap<>();
        int gone = 0;
        for (ListeningSocketEntity e : repository.open(agentId)) {
            if (now.contains(e.key()) && before.putIfAbsent(e.key(), e) == null) {
                continue;
            }
            e.goneAt = observed.isBefore(e.appearedAt) ? e.appearedAt : observed; // managed: updated at commit
            gone++;
        }
        int appeared = 0;
        for (SocketKey k : now) {
            if (!before.containsKey(k)) {
                ListeningSocketEntity e = new ListeningSocketEntity();
                e.agentId = agentId;
                e.proto = k.proto();
                e.address = k.address();
                e.port = k.port();
                e.uid = k.uid();
                e.pid = k.pid();
                e.command = k.command();
                e.appearedAt = observed;
                repository.persist(e);
                appeared++;
            }
        }
        return new Applied(appeared, gone, false);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
