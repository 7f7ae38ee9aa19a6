package io.portwatch.collector.check;

import io.portwatch.collector.db.Timestamps;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes one row of {@code CheckRepository.COLUMNS} as the JSON that Jackson makes of its
 * {@link CheckView}: the same fields in the same order, nulls written, enums by name, instants
 * as ISO-8601 ({@link InstantText}), latency in ms; labels are the stored jsonb text. CheckListingTest compares the two.
 */
final class CheckJson {

    private CheckJson() {}

    /** One writer per page: {@code scratch} holds an instant's text. */
    static void write(ResultSet rs, JsonGenerator g, char[] scratch) throws SQLException, IOException {
        g.writeStartObject();
        g.writeNumberField("id", rs.getLong(1));
        writeText(g, "agentId", rs, 2);
        writeText(g, "key", rs, 3);
        writeText(g, "name", rs, 4);
        writeText(g, "target", rs, 5);
        writeText(g, "proto", rs, 6);
        g.writeNumberField("port", rs.getInt(7));
        writeText(g, "expect", rs, 8);
        writeText(g, "state", rs, 9);
        writeText(g, "reason", rs, 10);
        boolean healthy = rs.getBoolean(11);
        if (!wroteNull(g, "healthy", rs)) {
            g.writeBoolean(healthy);
        }
        writeText(g, "address", rs, 12);
        long latency = rs.getLong(13);
        if (!wroteNull(g, "latencyMs", rs)) {
            g.writeNumber(latency / 1000.0);
        }
        writeInstant(g, "observedAt", Timestamps.instant(rs, 14), scratch);
        writeInstant(g, "stateSince", Timestamps.instant(rs, 15), scratch);
        int interval = rs.getInt(16);
        if (!wroteNull(g, "intervalMs", rs)) {
            g.writeNumber(interval);
        }
        g.writeBooleanField("inCatalog", rs.getBoolean(17));
        String labels = rs.getString(18);
        g.writeFieldName("labels");
        g.writeRawValue(labels == null ? "{}" : labels);
        Instant unknownSince = Timestamps.instant(rs, 19);
        writeInstant(g, "unknownSince", unknownSince, scratch);
        if (unknownSince != null) {
            g.writeStringField("effectiveState", CheckView.UNKNOWN);
        } else {
            writeText(g, "effectiveState", rs, 9);
        }
        g.writeEndObject();
    }

    /**
     * A text column as a JSON string from its UTF-8 bytes as received (pgjdbc's getBytes of a
     * non-bytea column), escaped by Jackson: no String decoded only to be encoded again.
     */
    private static void writeText(JsonGenerator g, String name, ResultSet rs, int column) throws SQLException, IOException {
        byte[] utf8 = rs.getBytes(column);
        g.writeFieldName(name);
        if (utf8 == null) {
            g.writeNull();
        } else {
            g.writeUTF8String(utf8, 0, utf8.length);
        }
    }

    /** Writes the field's name, and null when the column just read was NULL (then true). */
    private static boolean wroteNull(JsonGenerator g, String name, ResultSet rs) throws SQLException, IOException {
        g.writeFieldName(name);
        if (rs.wasNull()) {
            g.writeNull();
            return true;
        }
        return false;
    }

    private static void writeInstant(JsonGenerator g, String name, Instant value, char[] scratch) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeRawValue(scratch, 0, InstantText.quoted(value, scratch)); // digits and punctuation only
        }
    }
}
