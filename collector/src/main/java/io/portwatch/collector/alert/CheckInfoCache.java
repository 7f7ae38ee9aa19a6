package io.portwatch.collector.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check instances the engine has seen, each with the rules that match it, so that evaluating a
 * batch costs a map lookup per result instead of a query and a rule scan. An agent's entries are
 * dropped when its catalog changes, every entry when the rules do.
 */
final class CheckInfoCache {

    /** A check instance and the rules (of one rules version) that match it. */
    record Entry(CheckInfo info, List<AlertRule> rules) {}

    static final String COLUMNS = "select id, agent_id, instance_key, check_name, target, proto, port, expect,"
            + " interval_ms, labels::text from check_instance";
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final ObjectMapper json;
    private final Map<String, Map<String, Entry>> byAgent = new HashMap<>();
    private long rulesVersion = -1;

    CheckInfoCache(ObjectMapper json) {
        this.json = json;
    }

    void forgetAgent(String agentId) {
        byAgent.remove(agentId);
    }

    void clear() {
        byAgent.clear();
    }

    /**
     * The agent's entries, read first for those of {@code keys} not known yet; a key with no check
     * row yet has none. Runs for every batch: one lookup per key when all are known.
     */
    Map<String, Entry> get(Connection c, String agentId, Collection<String> keys, AlertRules.InForce rules)
            throws SQLException {
        if (rules.version() != rulesVersion) {
            byAgent.clear();
            rulesVersion = rules.version();
        }
        Map<String, Entry> known = byAgent.computeIfAbsent(agentId, a -> new HashMap<>());
        Set<String> missing = new HashSet<>();
        for (String k : keys) {
            if (!known.containsKey(k)) missing.add(k);
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " where agent_id = ? and instance_key = any (?)")) {
                ps.setString(1, agentId);
                ps.setArray(2, c.createArrayOf("text", missing.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CheckInfo info = info(rs);
                        known.put(info.key(), new Entry(info, matching(info, rules)));
                    }
                }
            }
        }
        return Collections.unmodifiableMap(known);
    }

    /** Any agent's check with this instance key: names the subject of an alert restored from the database. */
    CheckInfo anyByKey(Connection c, String key) throws SQLException {
        for (Map<String, Entry> entries : byAgent.values()) {
            Entry e = entries.get(key);
            if (e != null) return e.info();
        }
        try (PreparedStatement ps = c.prepareStatement(COLUMNS + " where instance_key = ? order by id limit 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? info(rs) : null;
            }
        }
    }

    static List<AlertRule> matching(CheckInfo info, AlertRules.InForce rules) {
        Map<String, String> labels = AlertLabels.of(info);
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : rules.rules()) {
            if (r.match().matches(labels)) out.add(r);
        }
        return List.copyOf(out);
    }

    /** Reads the columns of {@link #COLUMNS} (in that order, from column 1). */
    CheckInfo info(ResultSet rs) throws SQLException {
        Integer interval = (Integer) rs.getObject(9);
        return new CheckInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Protocol.valueOf(rs.getString(6)), rs.getInt(7), Expectation.valueOf(rs.getString(8)), interval,
                labels(rs.getString(10)));
    }

    private Map<String, String> labels(String text) {
        if (text == null) return Map.of();
        try {
            return json.readValue(text, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable labels " + text, e);
        }
    }
}
