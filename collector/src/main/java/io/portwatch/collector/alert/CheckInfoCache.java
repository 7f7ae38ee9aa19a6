package io.portwatch.collector.alert;

import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.collector.check.CheckInfo;
import io.portwatch.collector.check.CheckRepository;
import java.sql.Connection;
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

    private final CheckRepository checks;
    private final Map<String, Map<String, Entry>> byAgent = new HashMap<>();
    private long rulesVersion = -1;

    CheckInfoCache(CheckRepository checks) {
        this.checks = checks;
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
            for (CheckInfo info : checks.infos(c, agentId, missing)) {
                known.put(info.key(), new Entry(info, matching(info, rules)));
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
        return checks.anyInfoByKey(c, key);
    }

    static List<AlertRule> matching(CheckInfo info, AlertRules.InForce rules) {
        Map<String, String> labels = AlertLabels.of(info);
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : rules.rules()) {
            if (r.match().matches(labels)) out.add(r);
        }
        return List.copyOf(out);
    }
}
