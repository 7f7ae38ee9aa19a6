package io.portwatch.collector.ingest;

import io.portwatch.collector.CollectorSettings;
import io.portwatch.core.check.Expectation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the check rows behind instance keys. A key missing from the catalog (a result that raced
 * a catalog change) gets a row made from the key itself, so no result is dropped.
 *
 * <p>What it read is remembered per agent until that agent's catalog is stored again (the only
 * way a check's expectation changes; an agent sends its catalog on every connect, so a replica it
 * comes back to forgets first). Only rows read before this transaction wrote any are remembered:
 * those are committed, while a row made from a key could still roll back.
 *
 * <p>Rows made from keys are bounded: before making any, the agent's rows are counted (one query,
 * only then, so results of known checks never pay for it), and when they would exceed
 * {@code portwatch.limits.instances-per-agent} nothing is made and {@link CheckLimitExceeded} is
 * thrown. The caller holds the agent row's lock, so the count cannot go stale before the insert.
 */
@ApplicationScoped
class CheckRefResolver {

    private final Map<String, Map<String, CheckRef>> known = new ConcurrentHashMap<>();
    private final int limit;

    private static final String SELECT = "select id, instance_key, expect from check_instance"
            + " where agent_id = ? and instance_key = any (?)";
    private static final String INSERT_FROM_KEY = "insert into check_instance"
            + " (agent_id, instance_key, check_name, target, proto, port, expect)"
            + " values (?, ?, ?, ?, ?, ?, 'OPEN') on conflict (agent_id, instance_key) do nothing";
    private static final String COUNT = "select count(*) from check_instance where agent_id = ?";

    CheckRefResolver(CollectorSettings settings) {
        this.limit = settings.limits().instancesPerAgent();
    }

    /**
     * The rows behind {@code keys} (in the order results named them), made from the key where missing.
     *
     * @throws CheckLimitExceeded when the missing ones would give the agent more rows than allowed
     */
    Map<String, CheckRef> resolve(Connection c, String agentId, Set<String> keys) throws SQLException {
        Map<String, CheckRef> cached = known.computeIfAbsent(agentId, a -> new ConcurrentHashMap<>());
        Map<String, CheckRef> refs = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            CheckRef ref = cached.get(key);
            if (ref == null) {
                unknown.add(key);
            } else {
                refs.put(key, ref);
            }
        }
        if (unknown.isEmpty()) {
            return refs;
        }
        Map<String, CheckRef> read = select(c, agentId, unknown);
        cached.putAll(read);
        refs.putAll(read);
        List<String> missing = unknown.stream().filter(k -> !read.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            bound(c, agentId, missing);
            try (PreparedStatement ps = c.prepareStatement(INSERT_FROM_KEY)) {
                for (String key : missing) {
                    InstanceKey k = InstanceKey.parse(key);
                    ps.setString(1, agentId);
                    ps.setString(2, key);
                    ps.setString(3, k.checkName());
                    ps.setString(4, k.target());
                    ps.setString(5, k.protocol().name());
                    ps.setInt(6, k.port());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            refs.putAll(select(c, agentId, missing));
        }
        return refs;
    }

    /** Refuses {@code missing} (new keys, in order) when they would take the agent over its limit. */
    private void bound(Connection c, String agentId, List<String> missing) throws SQLException {
        long existing;
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                existing = rs.getLong(1);
            }
        }
        if (existing + missing.size() > limit) {
            // The first key that does not fit; a limit lowered below what is stored refuses the first.
            int fit = (int) Math.max(0, limit - existing);
            throw new CheckLimitExceeded(missing.get(fit), existing, fit, limit);
        }
    }

    /** The agent's catalog was stored: its checks' expectations may have changed. */
    void onCatalog(@Observes(during = TransactionPhase.AFTER_SUCCESS) IngestEvent event) {
        if (event instanceof IngestEvent.CatalogStored stored) {
            known.remove(stored.agentId());
        }
    }

    private static Map<String, CheckRef> select(Connection c, String agentId, List<String> keys) throws SQLException {
        Map<String, CheckRef> refs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, agentId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.put(rs.getString(2), new CheckRef(rs.getLong(1), Expectation.valueOf(rs.getString(3))));
                }
            }
        }
        return refs;
    }
}
