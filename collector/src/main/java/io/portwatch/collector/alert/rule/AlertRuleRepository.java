package io.portwatch.collector.alert.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.portwatch.collector.db.Timestamps;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rules created through the API, stored as the document the API received (re-read on load). */
@ApplicationScoped
public class AlertRuleRepository {

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    AlertRuleRepository(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public List<AlertRule> all() {
        List<AlertRule> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select name, definition::text from alert_rule order by name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                RuleReader.Parsed<AlertRule> parsed = RuleReader.one(rs.getString(2));
                if (parsed.ok()) {
                    out.add(parsed.value());
                } else {
                    Log.errorf("stored alert rule %s is no longer valid, ignored: %s", rs.getString(1), parsed.errors());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading alert rules failed", e);
        }
        return out;
    }

    /**
     * The stored rule of that name, its row locked until the caller's transaction ends, so the
     * audit log's "before" is the version a replace or delete in that transaction changes.
     */
    public Optional<AlertRule> lock(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select definition::text from alert_rule where name = ? for update")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                RuleReader.Parsed<AlertRule> parsed = RuleReader.one(rs.getString(1));
                return parsed.ok() ? Optional.of(parsed.value()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading alert rule " + name + " failed", e);
        }
    }

    /** Changes whenever a rule is created, replaced or deleted, by any collector replica. */
    public String stamp() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) || '/' || coalesce(max(updated_at)::text, '') from alert_rule");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading alert rules failed", e);
        }
    }

    /** @return false when a rule of that name is stored already */
    public boolean insert(AlertRule rule, Instant now) {
        return update("insert into alert_rule (name, definition, created_at, updated_at) values (?, ?::jsonb, ?, ?)"
                + " on conflict (name) do nothing", rule.name(), document(rule), now, now) == 1;
    }

    /** @return false when no rule of that name is stored */
    public boolean replace(AlertRule rule, Instant now) {
        return update("update alert_rule set definition = ?::jsonb, updated_at = ? where name = ?",
                document(rule), now, rule.name()) == 1;
    }

    /** @return false when no rule of that name is stored */
    public boolean delete(String name) {
        return update("delete from alert_rule where name = ?", name) == 1;
    }

    private String document(AlertRule rule) {
        try {
            return json.writeValueAsString(rule.document());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i] instanceof Instant t ? Timestamps.utc(t) : args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing alert rules failed", e);
        }
    }
}
