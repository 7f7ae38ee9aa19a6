package io.portwatch.collector.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.collector.db.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The persisted state machines, so that a restarted (or newly elected) collector continues them. */
@ApplicationScoped
class SubjectRepository {

    private static final String SELECT = "select s.rule_name, s.subject, s.machine::text, s.alert_id,"
            + " a.fired_at is not null from alert_subject s left join alert a on a.id = s.alert_id";
    private static final String UPSERT = "insert into alert_subject (rule_name, subject, phase, voters, machine,"
            + " alert_id, updated_at) values (?, ?, ?, ?, ?::jsonb, ?, ?) on conflict (rule_name, subject) do update"
            + " set phase = excluded.phase, voters = excluded.voters, machine = excluded.machine,"
            + " alert_id = excluded.alert_id, updated_at = excluded.updated_at";

    private final ObjectMapper json;

    SubjectRepository(ObjectMapper json) {
        this.json = json;
    }

    /** The stored subjects among {@code keys}; those of rules no longer in force are left out. */
    List<Subject> load(Connection c, Collection<Subject.Key> keys, AlertRules.InForce rules) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(SELECT
                + " where (s.rule_name, s.subject) in (select * from unnest(?::text[], ?::text[]))")) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(Subject.Key::rule).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(Subject.Key::subject).toArray()));
            return read(ps, rules);
        }
    }

    /** Subjects an agent has voted on: it is down, they must stop counting it. */
    List<Subject> withVoter(Connection c, String agentId, AlertRules.InForce rules) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where s.voters @> array[?]::text[]")) {
            ps.setString(1, agentId);
            return read(ps, rules);
        }
    }

    /** Subjects not OK of the given rules: the clock may fire them ({@code for:}). */
    List<Subject> notOk(Connection c, Collection<String> ruleNames, AlertRules.InForce rules) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where s.phase <> 'OK' and s.rule_name = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", ruleNames.toArray()));
            return read(ps, rules);
        }
    }

    /** Writes the subjects whose machine or open alert changed since they were stored. */
    /** Forgets the subjects of every rule not in {@code inForce} (removed rules). */
    void deleteOtherRules(Connection c, List<String> inForce) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from alert_subject where not (rule_name = any (?))")) {
            ps.setArray(1, c.createArrayOf("text", inForce.toArray()));
            ps.executeUpdate();
        }
    }

    void save(Connection c, Collection<Subject> subjects, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (Subject s : subjects) {
                boolean sameAlert = java.util.Objects.equals(s.alertId, s.storedAlertId);
                if (s.stored != null && sameAlert && s.machine.changes() == s.storedChanges) {
                    continue; // no snapshot taken: the machine did not change since the stored one
                }
                AlertStateMachine.Snapshot snap = s.machine.snapshot();
                s.storedChanges = s.machine.changes();
                if (snap.equals(s.stored) && sameAlert) {
                    continue;
                }
                s.stored = snap;
                s.storedAlertId = s.alertId;
                ps.setString(1, s.key.rule());
                ps.setString(2, s.key.subject());
                ps.setString(3, snap.phase().name());
                ps.setArray(4, c.createArrayOf("text", snap.voters().keySet().toArray()));
                ps.setString(5, json.writeValueAsString(snap));
                if (s.alertId == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, s.alertId);
                }
                ps.setObject(7, Timestamps.utc(now));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a state machine failed", e);
        }
    }

    private List<Subject> read(PreparedStatement ps, AlertRules.InForce rules) throws SQLException {
        List<Subject> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Optional<AlertRule> rule = rules.byName(rs.getString(1));
                if (rule.isEmpty()) {
                    continue;
                }
                AlertStateMachine.Snapshot snap;
                try {
                    snap = json.readValue(rs.getString(3), AlertStateMachine.Snapshot.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("unreadable state machine of " + rs.getString(2), e);
                }
                Subject s = new Subject(new Subject.Key(rs.getString(1), rs.getString(2)), rule.get(),
                        AlertStateMachine.restore(rule.get().condition(), snap));
                long alertId = rs.getLong(4);
                s.alertId = rs.wasNull() ? null : alertId;
                s.stored = snap;
                s.storedChanges = s.machine.changes();
                s.storedAlertId = s.alertId;
                s.alertFired = rs.getBoolean(5);
                out.add(s);
            }
        }
        return out;
    }
}
