package io.portwatch.collector.alert;

import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.alert.AlertCondition.Trigger;
import io.portwatch.collector.alert.AlertStateMachine.Phase;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.collector.ingest.IngestEvent.BatchStored;
import io.portwatch.collector.ingest.IngestEvent.StoredResult;
import io.portwatch.core.check.Health;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's memory (check instances with their rules, state machines of the subjects seen) and
 * what each unit of work does with it, inside the caller's transaction. The memory mirrors what
 * is stored after every unit, so {@link #forget()} loses nothing: the next unit reloads.
 * Confined to the engine's one thread.
 */
@ApplicationScoped
class AlertEvaluator {

    private final AlertRules rules;
    private final SubjectRepository subjects;
    private final PortAlerts ports;
    private final AgentDownAlerts agentDown;
    private final NoDataAlerts noData;
    private final CheckInfoCache checks;
    private final Map<Subject.Key, Subject> memory = new HashMap<>();
    private Set<String> downAgents = new HashSet<>();
    private long rulesVersion = -1;
    /** The rules version whose removed rules' alerts were last resolved. */
    private long retiredVersion = -1;

    AlertEvaluator(AlertRules rules, SubjectRepository subjects, PortAlerts ports, AgentDownAlerts agentDown,
            NoDataAlerts noData, CheckRepository checkRepository) {
        this.rules = rules;
        this.subjects = subjects;
        this.ports = ports;
        this.agentDown = agentDown;
        this.noData = noData;
        this.checks = new CheckInfoCache(checkRepository);
    }

    /** Drops what is held in memory, as a restart or a change of leader does. */
    void forget() {
        memory.clear();
        checks.clear();
        downAgents = new HashSet<>();
        rulesVersion = -1;
        retiredVersion = -1;
    }

    void catalogChanged(String agentId) {
        checks.forgetAgent(agentId);
    }

    /**
     * Stored batches, in the order they were stored, as one unit: each result moves its subjects'
     * machines, and what the batches changed is written once at the end (a subject touched by
     * every batch is written once, as its last batch left it).
     */
    void batches(Connection c, List<BatchStored> batches) throws SQLException {
        // The rules in force once per unit: a change of rules (which reloads the machines) waits
        // for the next unit, so every subject touched here is the one in memory.
        AlertRules.InForce r = inForce();
        Set<Subject> touched = new LinkedHashSet<>();
        Instant newest = batches.get(0).receivedAt();
        for (BatchStored b : batches) {
            observe(c, b.agentId(), b.results(), b.receivedAt(), r, touched);
            newest = b.receivedAt().isAfter(newest) ? b.receivedAt() : newest;
        }
        ports.observed(c, touched, newest);
        // Only the subjects the batches touched changed: no scan of every subject in memory.
        save(c, touched, newest);
    }

    /** One stored batch of one agent: its results, in time order, move the machines of its subjects. */
    private void observe(Connection c, String agentId, List<StoredResult> results, Instant receivedAt,
            AlertRules.InForce r, Set<Subject> touched) throws SQLException {
        if (downAgents.remove(agentId)) {
            agentDown.back(c, agentId, receivedAt);
        }
        List<StoredResult> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparing(StoredResult::observedAt));
        List<String> keys = new ArrayList<>(ordered.size());
        ordered.forEach(result -> keys.add(result.instanceKey()));
        Map<String, CheckInfoCache.Entry> entries = checks.get(c, agentId, keys, r);
        // Each result's check and subjects: found in memory, or loaded once for all that are not.
        CheckInfoCache.Entry[] entryOf = new CheckInfoCache.Entry[keys.size()];
        Set<Subject.Key> missing = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            entryOf[i] = entries.get(keys.get(i));
            if (entryOf[i] != null) {
                for (AlertRule rule : entryOf[i].rules()) {
                    Subject.Key key = new Subject.Key(rule.name(), keys.get(i));
                    if (!memory.containsKey(key)) missing.add(key);
                }
            }
        }
        if (!missing.isEmpty()) {
            load(c, missing, r);
        }
        for (int i = 0; i < keys.size(); i++) {
            CheckInfoCache.Entry e = entryOf[i];
            if (e == null) {
                continue;
            }
            StoredResult result = ordered.get(i);
            Health health = e.info().expect().health(result.state(), result.reason());
            if (health == Health.UNKNOWN) {
                // Not a transition: the machine is not fed, as if the probe had not reported. It
                // neither fires nor resolves, streaks keep their count, and a pending for: keeps
                // counting from the first unhealthy result, as it does between any two results.
                continue;
            }
            boolean healthy = health == Health.HEALTHY;
            for (AlertRule rule : e.rules()) {
                Subject s = memory.get(new Subject.Key(rule.name(), e.info().key()));
                s.check = e.info();
                s.lastState = result.state().name();
                s.lastReason = result.reason();
                Phase before = s.machine.phase();
                List<AlertTransition> ts = s.machine.observe(agentId, healthy, result.observedAt());
                if (!ts.isEmpty() || s.machine.phase() != before) {
                    ports.apply(c, s, ts, result.observedAt());
                }
                s.dirty = true;
                touched.add(s);
            }
        }
    }

    /** Time-based work: agent-down, {@code for:} conditions, no-data, and rules changed elsewhere. */
    void sweep(Connection c, Instant now) throws SQLException {
        rules.refresh();
        AlertRules.InForce r = inForce();
        if (r.version() != retiredVersion) {
            ports.retireRemovedRules(c, r.rules().stream().map(AlertRule::name).toList(), now);
            retiredVersion = r.version();
        }
        AgentDownAlerts.Change change = agentDown.sweep(c, now);
        downAgents = new HashSet<>(change.down());
        for (String agent : change.wentDown()) {
            for (Subject s : merge(subjects.withVoter(c, agent, r))) {
                if (s.machine.unknown(agent)) {
                    s.dirty = true;
                }
            }
        }
        List<String> timed = r.rules().stream().filter(rule -> rule.condition().trigger() instanceof Trigger.For)
                .map(AlertRule::name).toList();
        if (!timed.isEmpty()) {
            merge(subjects.notOk(c, timed, r));
            for (Subject s : List.copyOf(memory.values())) {
                if (s.rule.condition().trigger() instanceof Trigger.For && s.machine.phase() != Phase.OK) {
                    List<AlertTransition> ts = s.machine.tick(now);
                    if (!ts.isEmpty()) {
                        named(c, s);
                        ports.apply(c, s, ts, now);
                        s.dirty = true;
                    }
                }
            }
        }
        noData.sweep(c, now, r);
        save(c, memory.values(), now);
    }

    private AlertRules.InForce inForce() {
        AlertRules.InForce r = rules.inForce();
        if (r.version() != rulesVersion) {
            // Conditions may have changed: reload the machines under the new rules.
            memory.clear();
            rulesVersion = r.version();
        }
        return r;
    }

    /** Puts subjects not in memory there: from storage, or new ones for keys never stored. */
    private void load(Connection c, Set<Subject.Key> missing, AlertRules.InForce r) throws SQLException {
        merge(subjects.load(c, missing, r));
        for (Subject.Key k : missing) {
            memory.computeIfAbsent(k, key -> {
                AlertRule rule = r.byName(key.rule()).orElseThrow();
                return new Subject(key, rule, new AlertStateMachine(rule.condition()));
            });
        }
    }

    /** The memory's subject for each stored one (memory is never older than storage). */
    private List<Subject> merge(List<Subject> stored) {
        List<Subject> out = new ArrayList<>(stored.size());
        for (Subject s : stored) {
            out.add(memory.computeIfAbsent(s.key, k -> s));
        }
        return out;
    }

    private void named(Connection c, Subject s) throws SQLException {
        if (s.check == null) {
            s.check = checks.anyByKey(c, s.key.subject());
        }
    }

    /** Stores those of {@code candidates} marked dirty. */
    private void save(Connection c, Collection<Subject> candidates, Instant now) throws SQLException {
        List<Subject> dirty = new ArrayList<>();
        for (Subject s : candidates) {
            if (s.dirty) {
                dirty.add(s);
            }
        }
        subjects.save(c, dirty, now);
        dirty.forEach(s -> s.dirty = false);
    }
}
