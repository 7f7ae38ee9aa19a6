package io.portwatch.collector.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import io.portwatch.collector.db.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alert rows: the engine writes them inside its transaction; the API reads them. */
@ApplicationScoped
public class AlertRepository {

    /** An alert as it is created. */
    public record NewAlert(String rule, Kind kind, String subject, AlertState state, String severity, String summary,
            Map<String, String> labels, List<String> channels, Instant startedAt, Instant firedAt, String lastState,
            String lastReason, List<String> voters) {}

    private static final String COLUMNS = "select id, rule_name, kind, subject, state, severity, summary, labels::text,"
            + " channels, started_at, fired_at, ended_at, last_state, last_reason, voters, flapping, flap_count,"
            + " silenced, silence_id, updated_at from alert";
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    AlertRepository(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public long insert(Connection c, NewAlert a, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into alert (rule_name, kind, subject, state, severity,"
                + " summary, labels, channels, started_at, fired_at, last_state, last_reason, voters, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?) returning id")) {
            ps.setString(1, a.rule());
            ps.setString(2, a.kind().name());
            ps.setString(3, a.subject());
            ps.setString(4, a.state().name());
            ps.setString(5, a.severity());
            ps.setString(6, a.summary());
            ps.setString(7, write(a.labels()));
            ps.setArray(8, c.createArrayOf("text", a.channels().toArray()));
            ps.setObject(9, Timestamps.utc(a.startedAt()));
            ps.setObject(10, a.firedAt() == null ? null : Timestamps.utc(a.firedAt()));
            ps.setString(11, a.lastState());
            ps.setString(12, a.lastReason());
            ps.setArray(13, c.createArrayOf("text", a.voters().toArray()));
            ps.setObject(14, Timestamps.utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void fire(Connection c, long id, Instant at, String summary, List<String> voters) throws SQLException {
        update(c, "update alert set state = 'FIRING', fired_at = ?, summary = ?, voters = ?, updated_at = ? where id = ?",
                at, summary, c.createArrayOf("text", voters.toArray()), at, id);
    }

    public void resolve(Connection c, long id, Instant at) throws SQLException {
        update(c, "update alert set state = 'RESOLVED', ended_at = ?, flapping = false, updated_at = ? where id = ?",
                at, at, id);
    }

    /** Starting to flap counts a flapping episode (part of the notification's dedupe key). */
    public void flapping(Connection c, long id, boolean flapping, Instant at) throws SQLException {
        update(c, "update alert set flapping = ?, flap_count = flap_count + ?, updated_at = ? where id = ?",
                flapping, flapping ? 1 : 0, at, id);
    }

    /** An open alert's newest observation: its last state and reason, and who voted. */
    public record Observation(long alertId, String lastState, String lastReason, List<String> voters) {}

    /** Brings open alerts up to their newest observation, in one round trip for all of them. */
    public void observed(Connection c, Collection<Observation> observations, Instant at) throws SQLException {
        if (observations.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update alert set last_state = ?, last_reason = ?, voters = ?, updated_at = ? where id = ?")) {
            for (Observation o : observations) {
                ps.setString(1, o.lastState());
                ps.setString(2, o.lastReason());
                ps.setArray(3, c.createArrayOf("text", o.voters().toArray()));
                ps.setObject(4, Timestamps.utc(at));
                ps.setLong(5, o.alertId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Records whether the last transition was muted, and by which silence. */
    public void silenced(Connection c, long id, Long silenceId) throws SQLException {
        update(c, "update alert set silenced = ?, silence_id = ? where id = ?", silenceId != null, silenceId, id);
    }

    public void delete(Connection c, long id) throws SQLException {
        update(c, "delete from alert where id = ?", id);
    }

    /** Open alerts of one kind by subject. */
    public Map<String, Long> open(Connection c, Kind kind) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select subject, id, rule_name from alert where kind = ? and state <> 'RESOLVED'")) {
            ps.setString(1, kind.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(3) + "\u0000" + rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Open alerts of rules other than {@code rules} (and not raised by the engine itself): their rule is gone. */
    public List<Long> openOfOtherRules(Connection c, List<String> rules) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from alert where state <> 'RESOLVED'"
                + " and kind <> 'AGENT_DOWN' and not (rule_name = any (?))")) {
            ps.setArray(1, c.createArrayOf("text", rules.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    public Optional<AlertView> byId(Connection c, long id) throws SQLException {
        List<AlertView> found = query(c, COLUMNS + " where id = ?", List.of(id));
        return found.stream().findFirst();
    }

    public Optional<AlertView> byId(long id) {
        try (Connection c = dataSource.getConnection()) {
            return byId(c, id);
        } catch (SQLException e) {
            throw new IllegalStateException("reading alert " + id + " failed", e);
        }
    }

    /** Newest first; {@code state} and {@code kind} null for any; ids below {@code beforeId} (0: no bound). */
    public List<AlertView> list(AlertState state, Kind kind, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" where true");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" and state = ?");
            args.add(state.name());
        }
        if (kind != null) {
            sql.append(" and kind = ?");
            args.add(kind.name());
        }
        if (beforeId > 0) {
            sql.append(" and id < ?");
            args.add(beforeId);
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql.toString(), args);
        } catch (SQLException e) {
            throw new IllegalStateException("listing alerts failed", e);
        }
    }

    /** How many alerts are in {@code state}. */
    public long count(AlertState state) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from alert where state = ?")) {
            ps.setString(1, state.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting alerts failed", e);
        }
    }

    private List<AlertView> query(Connection c, String sql, List<Object> args) throws SQLException {
        List<AlertView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(view(rs));
                }
            }
        }
        return out;
    }

    private AlertView view(ResultSet rs) throws SQLException {
        Instant started = Timestamps.instant(rs, 10);
        Instant ended = Timestamps.instant(rs, 12);
        long silenceId = rs.getLong(19);
        Long silence = rs.wasNull() ? null : silenceId;
        return new AlertView(rs.getLong(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getString(4),
                AlertState.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), read(rs.getString(8)),
                strings(rs.getArray(9)), started, Timestamps.instant(rs, 11), ended,
                Duration.between(started, ended == null ? clock.instant() : ended).toMillis(), rs.getString(13),
                rs.getString(14), strings(rs.getArray(15)), rs.getBoolean(16), rs.getInt(17), rs.getBoolean(18),
                silence, Timestamps.instant(rs, 20));
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof Instant t ? Timestamps.utc(t) : args[i]);
            }
            ps.executeUpdate();
        }
    }

    private String write(Map<String, String> labels) {
        try {
            return json.writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return json.readValue(text, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable labels " + text, e);
        }
    }
}
