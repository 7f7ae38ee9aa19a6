package io.portwatch.collector.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.PortState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written COPY binary rows, read back by the real PostgreSQL: timestamps land on the
 * microsecond PostgreSQL's own text input gives the same instant (which the rest of the collector
 * sends), text arrives as the same characters.
 */
@QuarkusTest
class ResultCopyTest {

    @Inject
    AgroalDataSource dataSource;

    /** Every fifth row (id % 5 = 4) is an UNKNOWN result, whose healthy is NULL. */
    private static ResultRow row(long id, Instant at, String reason, String detail) {
        boolean unknown = id % 5 == 4;
        return new ResultRow(id, 1, at, unknown ? PortState.UNKNOWN : PortState.OPEN, reason,
                unknown ? Health.UNKNOWN : id % 2 == 0 ? Health.HEALTHY : Health.UNHEALTHY,
                id % 3 == 0 ? null : "127.0.0.1:" + id, id * 7, detail);
    }

    /** Copies the rows into a temporary table of result's columns and runs {@code query} on it. */
    private static long copyAndCount(Connection c, List<ResultRow> rows, String query) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("drop table if exists pg_temp.copy_check");
            s.execute("create temporary table copy_check (like result)");
            ResultRepository.copy(c, "pg_temp.copy_check", rows);
            try (ResultSet rs = s.executeQuery("select count(*) from copy_check")) {
                rs.next();
                assertEquals(rows.size(), rs.getLong(1), "every row copied");
            }
            try (ResultSet rs = s.executeQuery(query)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void timestampsAreTheMicrosecondPostgresqlReadsFromTheirText() throws SQLException {
        List<Instant> instants = new ArrayList<>();
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2000-01-01T00:00:00Z", "1999-12-31T23:59:59.9999995Z",
                "2000-02-29T23:59:59.999999999Z", "2024-02-29T12:00:00.0000005Z", "2024-02-29T12:00:00.0000015Z",
                "2024-02-29T12:00:00.0000025Z", "2026-12-31T23:59:59.001Z", "1969-12-31T23:59:59.9999994Z",
                "1900-03-01T00:00:00.123456789Z", "9999-12-31T23:59:59Z"}) {
            instants.add(Instant.parse(edge));
        }
        Random random = new Random(3);
        while (instants.size() < 50_000) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L),
                    // every fifth one ends in 500 nanoseconds: a half microsecond to round
                    instants.size() % 5 == 0 ? random.nextInt(1_000_000) * 1000 + 500 : random.nextInt(1_000_000_000)));
        }
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < instants.size(); i++) {
            rows.add(row(i, instants.get(i), "connected", instants.get(i).toString()));
        }
        try (Connection c = dataSource.getConnection()) {
            assertEquals(0, copyAndCount(c, rows, "select count(*) from copy_check where observed_at <> detail::timestamptz"),
                    "timestamps that differ from PostgreSQL's reading of the same instant's text");
        }
    }

    @Test
    void textArrivesAsTheSameCharacters() throws SQLException {
        String[] texts = {"", "connected", "a\tb\nc\rd\\e", "Zürich — 東京 \uD83D\uDE80", "quote ' and \" and ,{}", "ß"};
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            rows.add(row(i, Instant.parse("2026-12-02T00:00:00Z"), texts[i], i % 2 == 0 ? null : texts[i]));
        }
        rows.add(row(texts.length, Instant.parse("2026-12-02T00:00:00Z"), "x\uD83Dy", "\uDE80"));
        StringBuilder expected = new StringBuilder("select count(*) from copy_check c join (values ");
        for (int i = 0; i < texts.length; i++) {
            expected.append(i == 0 ? "" : ", ").append("(").append(i).append(", ")
                    .append(literal(texts[i])).append(", ").append(i % 2 == 0 ? "null" : literal(texts[i])).append(")");
        }
        expected.append(", (").append(texts.length).append(", 'x?y', '?')) as e(id, reason, detail) on e.id = c.id")
                .append(" where c.reason = e.reason and c.detail is not distinct from e.detail")
                .append(" and c.healthy is not distinct from case when c.id % 5 = 4 then null else c.id % 2 = 0 end")
                .append(" and c.state = case when c.id % 5 = 4 then 'UNKNOWN' else 'OPEN' end and c.latency_micros = c.id * 7 and c.check_id = 1")
                .append(" and c.address is not distinct from case when c.id % 3 = 0 then null else '127.0.0.1:' || c.id end");
        try (Connection c = dataSource.getConnection()) {
            assertEquals(rows.size(), copyAndCount(c, rows, expected.toString()), "rows equal to what was copied");
        }
    }

    private static String literal(String s) {
        return "E'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r") + "'";
    }

    @Test
    void theBufferGrowsAsNeeded() {
        CopyBinary b = new CopyBinary(1);
        for (int i = 0; i < 1000; i++) {
            b.int64(i).text("x".repeat(i % 7));
        }
        int expected = 0;
        for (int i = 0; i < 1000; i++) {
            expected += 12 + 4 + i % 7;
        }
        assertEquals(expected, b.length);
    }
}
