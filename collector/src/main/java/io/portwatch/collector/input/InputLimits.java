package io.portwatch.collector.input;

import io.portwatch.collector.CollectorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * The limits of {@link CollectorSettings.Limits} applied to one field at a time. Each check
 * answers null when the value is acceptable, or {@code <field>: <rule>} naming what it breaks, so
 * the gRPC ingest and the REST API refuse alike, each in its own way (INVALID_ARGUMENT or 400).
 */
@ApplicationScoped
public class InputLimits {

    /** The separators and the longest protocol and port of an instance key: {@code |udp|65535} and one {@code |}. */
    private static final int KEY_FIXED_PART = 11;

    /**
     * Names in YAML documents (the rules file, and API bodies, which are JSON): rule and notifier
     * names. They are keys of indexed tables, so they stay short whatever agents may send.
     */
    public static final int DOCUMENT_NAME_LENGTH = 128;
    /** Every other string of such a document: matcher values and globs, a silence's comment. */
    public static final int DOCUMENT_TEXT_LENGTH = 4096;

    /**
     * Instants a client may give (from, to, startsAt, endsAt): Instant.parse reads years up to a
     * billion, which neither PostgreSQL nor java.time's date-times can hold.
     */
    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final CollectorSettings.Limits limits;

    public InputLimits(CollectorSettings settings) {
        this.limits = settings.limits();
    }

    public CollectorSettings.Limits values() {
        return limits;
    }

    /** An id or name: agent id, check name, version, config hash. */
    public String name(String field, String value) {
        return check(field, value, limits.nameLength(), false);
    }

    /** A host name, target or address. */
    public String host(String field, String value) {
        return check(field, value, limits.hostLength(), false);
    }

    /** A check instance key, {@code <check name>|<target>|<proto>|<port>}. */
    public String instanceKey(String field, String value) {
        return check(field, value, limits.nameLength() + limits.hostLength() + KEY_FIXED_PART, false);
    }

    /** Free text for humans: tab and line breaks allowed. */
    public String text(String field, String value) {
        return check(field, value, limits.textLength(), true);
    }

    /** A label set: how many, and each key and value. */
    public String labels(String field, Map<String, String> labels) {
        String tooMany = count(field, labels.size(), limits.labels());
        if (tooMany != null) {
            return tooMany;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().isEmpty()) {
                return field + ": a label key is empty";
            }
            String rule = TextRule.violation(e.getKey(), limits.labelKeyLength(), false);
            if (rule != null) {
                return field + ": key " + TextRule.shown(e.getKey()) + ": " + rule;
            }
            String value = check(field + "[" + TextRule.shown(e.getKey()) + "]", e.getValue(),
                    limits.labelValueLength(), false);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Why {@code t} is refused ({@code outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z}), or null. */
    public static String instant(Instant t) {
        return t.isBefore(EARLIEST) || t.isAfter(LATEST) ? "outside " + EARLIEST + " .. " + LATEST : null;
    }

    /** {@code count} items where at most {@code max} are allowed. */
    public static String count(String field, long count, long max) {
        return count > max ? field + ": " + count + " entries, at most " + max : null;
    }

    private static String check(String field, String value, int max, boolean freeText) {
        String rule = TextRule.violation(value, max, freeText);
        return rule == null ? null : field + ": " + rule;
    }
}
