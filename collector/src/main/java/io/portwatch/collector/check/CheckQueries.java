package io.portwatch.collector.check;

import io.portwatch.collector.db.Timestamps;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads check instances straight into {@link CheckView}s with plain JDBC: the list endpoint
 * returns thousands of rows, and entity hydration would cost more than the query.
 */
@ApplicationScoped
public class CheckQueries {

    /** The column order that {@link #view} and {@link CheckJson} read. */
    private static final String COLUMNS = "select id, agent_id, instance_key, check_name, target, proto, port, expect,"
            + " state, reason, healthy, address, latency_micros, observed_at, state_since, interval_ms, in_catalog,"
            + " labels::text, unknown_since from check_instance";
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    CheckQueries(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Where a written page ended: rows written, the last id written, whether more rows match. */
    public record PageEnd(int rows, long lastId, boolean more) {}

    /**
     * Writes the matching checks with id greater than {@code afterId}, by id, at most
     * {@code limit}, as a JSON array straight from the rows (the same fields as {@link CheckView},
     * labels as the stored jsonb text): 10,000 checks are 3.8 MB, and building views to serialize
     * them reflectively took most of a listing's time.
     */
    public PageEnd writeList(CheckFilter f, long afterId, int limit, JsonGenerator out) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" where id > ?");
        List<Object> args = new ArrayList<>();
        args.add(afterId);
        condition(sql, args, "agent_id = ?", f.agentId());
        condition(sql, args, "target = ?", f.target());
        condition(sql, args, "port = ?", f.port());
        condition(sql, args, "proto = ?", f.proto() == null ? null : f.proto().name());
        condition(sql, args, "state = ?", f.state() == null ? null : f.state().name());
        condition(sql, args, "healthy = ?", f.healthy());
        sql.append(" order by id limit ?");
        args.add(limit + 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql.toString(), args);
                ResultSet rs = ps.executeQuery()) {
            int rows = 0;
            long lastId = 0;
            char[] scratch = new char[InstantText.MAX_CHARS];
            out.writeStartArray();
            while (rs.next()) {
                if (rows == limit) {
                    out.writeEndArray();
                    return new PageEnd(rows, lastId, true);
                }
                lastId = rs.getLong(1);
                CheckJson.write(rs, out, scratch);
                rows++;
            }
            out.writeEndArray();
            return new PageEnd(rows, lastId, false);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("listing checks failed", e);
        }
    }

    /** One check instance by id. */
    public java.util.Optional<CheckView> byId(long id) {
        return query(COLUMNS + " where id = ?", List.of(id)).stream().findFirst();
    }

    /** Every check probing {@code target}, by protocol, port and agent. */
    public List<CheckView> byTarget(String target) {
        return query(COLUMNS + " where target = ? order by proto, port, agent_id, id", List.of(target));
    }

    private static void condition(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(" and ").append(clause);
            args.add(value);
        }
    }

    private List<CheckView> query(String sql, List<Object> args) {
        List<CheckView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(view(rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing checks failed", e);
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    private CheckView view(ResultSet rs) throws SQLException {
        String state = rs.getString(9);
        long latency = rs.getLong(13);
        boolean hasLatency = !rs.wasNull();
        return new CheckView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Protocol.valueOf(rs.getString(6)), rs.getInt(7), Expectation.valueOf(rs.getString(8)),
                state == null ? null : PortState.valueOf(state), rs.getString(10), (Boolean) rs.getObject(11),
                rs.getString(12), hasLatency ? latency / 1000.0 : null, Timestamps.instant(rs, 14), Timestamps.instant(rs, 15),
                (Integer) rs.getObject(16), rs.getBoolean(17), labels(rs.getString(18)), Timestamps.instant(rs, 19));
    }

    private Map<String, String> labels(String text) {
        if (text == null || text.equals("{}")) {
            return Map.of();
        }
        try {
            return json.readValue(text, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable labels " + text, e);
        }
    }
}
