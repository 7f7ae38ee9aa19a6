package io.portwatch.collector.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Raw results into {@code result} with {@code COPY … FROM STDIN} (text format), inside the
 * caller's transaction: PostgreSQL's fastest way in for many rows, and what bench/ingest compares
 * the whole ingest path against. The partitioned table routes each row to its day.
 *
 * <p>The rows are written straight into UTF-8 bytes and sent in one piece, timestamps formatted
 * by hand: building a String, then a Reader for pgjdbc to encode again, and formatting each
 * Instant through java.time was a third of what the collector allocated per result.
 */
final class ResultCopy {

    private static final String COPY = "copy result"
            + " (id, check_id, observed_at, state, reason, healthy, address, latency_micros, detail) from stdin";

    private ResultCopy() {}

    static void write(Connection c, List<ResultRow> rows) throws SQLException {
        Text text = new Text(rows.size() * 112);
        for (ResultRow r : rows) {
            text.number(r.id()).tab().number(r.checkId()).tab().timestamp(r.observedAt()).tab()
                    .field(r.state().name()).tab().field(r.reason()).tab().ascii(r.healthy() ? 't' : 'f').tab()
                    .field(r.address()).tab().number(r.latencyMicros()).tab().field(r.detail()).ascii('\n');
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            copy.writeToCopy(text.bytes, 0, text.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** A growing buffer of COPY text-format bytes. */
    static final class Text {
        byte[] bytes;
        int length;

        Text(int capacity) {
            bytes = new byte[Math.max(64, capacity)];
        }

        Text tab() {
            return ascii('\t');
        }

        Text ascii(char ch) {
            room(1);
            bytes[length++] = (byte) ch;
            return this;
        }

        Text number(long value) {
            return ascii(Long.toString(value));
        }

        /** A text column: \N for null, backslash escapes for the separators, UTF-8. */
        Text field(String value) {
            if (value == null) {
                return ascii("\\N");
            }
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                switch (ch) {
                    case '\\' -> ascii("\\\\");
                    case '\t' -> ascii("\\t");
                    case '\n' -> ascii("\\n");
                    case '\r' -> ascii("\\r");
                    default -> {
                        if (ch < 0x80) {
                            ascii(ch);
                        } else {
                            int cp = value.codePointAt(i);
                            i += Character.charCount(cp) - 1;
                            codePoint(Character.isSurrogate((char) cp) ? '?' : cp);
                        }
                    }
                }
            }
            return this;
        }

        private void codePoint(int cp) {
            room(4);
            if (cp < 0x80) {
                bytes[length++] = (byte) cp;
            } else if (cp < 0x800) {
                bytes[length++] = (byte) (0xC0 | cp >> 6);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                bytes[length++] = (byte) (0xE0 | cp >> 12);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else {
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            }
        }

        /** ISO-8601 in UTC with nine fraction digits, which timestamptz input rounds to microseconds. */
        Text timestamp(Instant at) {
            long seconds = at.getEpochSecond();
            long day = Math.floorDiv(seconds, 86_400);
            int secondOfDay = (int) Math.floorMod(seconds, 86_400);
            // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
            long z = day + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long doe = z - era * 146_097;
            long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            int d = (int) (doy - (153 * mp + 2) / 5 + 1);
            int m = (int) (mp < 10 ? mp + 3 : mp - 9);
            long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
            if (y < 1000 || y > 9999) {
                return ascii(at.toString());
            }
            digits(y, 4).ascii('-').digits(m, 2).ascii('-').digits(d, 2).ascii('T');
            digits(secondOfDay / 3600, 2).ascii(':').digits(secondOfDay / 60 % 60, 2).ascii(':')
                    .digits(secondOfDay % 60, 2);
            return ascii('.').digits(at.getNano(), 9).ascii('Z');
        }

        private Text digits(long value, int width) {
            room(width);
            for (int i = width - 1; i >= 0; i--) {
                bytes[length + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += width;
            return this;
        }

        private Text ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
            return this;
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }
    }
}
