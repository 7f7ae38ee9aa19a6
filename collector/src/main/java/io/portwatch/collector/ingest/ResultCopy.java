package io.portwatch.collector.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Raw results into {@code result} with {@code COPY … FROM STDIN} (text format), inside the
 * caller's transaction: PostgreSQL's fastest way in for many rows, and what bench/ingest compares
 * the whole ingest path against. The partitioned table routes each row to its day.
 */
final class ResultCopy {

    private static final String COPY = "copy result"
            + " (check_id, observed_at, state, reason, healthy, address, latency_micros, detail) from stdin";

    private ResultCopy() {}

    static void write(Connection c, List<ResultRow> rows) throws SQLException {
        StringBuilder text = new StringBuilder(rows.size() * 96);
        for (ResultRow r : rows) {
            text.append(r.checkId()).append('\t')
                    .append(r.observedAt()).append('\t')
                    .append(r.state().name()).append('\t');
            field(text, r.reason()).append('\t')
                    .append(r.healthy() ? 't' : 'f').append('\t');
            field(text, r.address()).append('\t')
                    .append(r.latencyMicros()).append('\t');
            field(text, r.detail()).append('\n');
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY of " + rows.size() + " results failed", e);
        }
    }

    /** A text column in COPY's text format: \N for null, backslash escapes for the separators. */
    private static StringBuilder field(StringBuilder text, String value) {
        if (value == null) {
            return text.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(ch);
            }
        }
        return text;
    }
}
