package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** How the API's JSON values are shown in tables: times, ages, maps, missing values. */
final class Views {

    private Views() {}

    /** The elements of a JSON array the API returned. */
    static List<JsonNode> elements(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new UnreachableException("expected a JSON array from the collector, not " + Text.bound(String.valueOf(array), 80));
        }
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    static ArrayNode array(List<JsonNode> items) {
        ArrayNode array = ApiClient.JSON.createArrayNode();
        items.forEach(array::add);
        return array;
    }

    /** A text field, or null (shown as {@code -}) when absent or JSON null. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** An instant field, or null when absent, null or not an instant. */
    static Instant instant(JsonNode node, String field) {
        String t = text(node, field);
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An instant to the second, in UTC: {@code 2026-12-08 01:35:03Z}. */
    static String time(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }

    /** How long ago: {@code 42s}, {@code 5m}, {@code 3h12m}, {@code 4d3h}; null for null. */
    static String age(Instant since, Instant now) {
        if (since == null) {
            return null;
        }
        Duration d = Duration.between(since, now);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toDays() > 0) return d.toDays() + "d" + (d.toHoursPart() > 0 ? d.toHoursPart() + "h" : "");
        if (d.toHours() > 0) return d.toHours() + "h" + (d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" : "");
        if (d.toMinutes() > 0) return d.toMinutes() + "m";
        return d.toSeconds() + "s";
    }

    /** An object as {@code k=v,k=v}, nested objects as {@code k.sub=v}; empty for none. */
    static String pairs(JsonNode object) {
        StringJoiner out = new StringJoiner(",");
        pairs("", object, out);
        return out.toString();
    }

    private static void pairs(String prefix, JsonNode object, StringJoiner out) {
        if (object == null || !object.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                pairs(prefix + e.getKey() + ".", e.getValue(), out);
            } else {
                out.add(prefix + e.getKey() + "=" + (e.getValue().isNull() ? "" : e.getValue().asText()));
            }
        }
    }

    /** A JSON array of texts as {@code a,b}; empty for none. */
    static String list(JsonNode array) {
        StringJoiner out = new StringJoiner(",");
        if (array != null && array.isArray()) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out.toString();
    }
}
