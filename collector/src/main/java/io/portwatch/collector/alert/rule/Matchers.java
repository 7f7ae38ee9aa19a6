package io.portwatch.collector.alert.rule;

import io.portwatch.collector.alert.AlertLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a rule or a silence applies to. Every matcher given must match (AND); an absent matcher
 * matches anything. Matched against an alert's (or check's) {@linkplain AlertLabels labels}, so
 * rules and silences share one meaning: {@code check}, {@code target}, {@code agent} and every
 * label value are exact strings or globs, {@code proto} is tcp or udp, {@code port} a port or range.
 * {@code rule} is only offered to silences.
 */
public record Matchers(ValuePattern rule, ValuePattern check, ValuePattern target, String proto, PortRange port,
        ValuePattern agent, Map<String, ValuePattern> labels) {

    public static final Matchers ANY = new Matchers(null, null, null, null, null, null, Map.of());

    public Matchers {
        labels = Map.copyOf(labels);
    }

    public boolean matches(Map<String, String> alertLabels) {
        if (!matches(rule, alertLabels.get(AlertLabels.RULE))
                || !matches(check, alertLabels.get(AlertLabels.CHECK))
                || !matches(target, alertLabels.get(AlertLabels.TARGET))
                || !matches(agent, alertLabels.get(AlertLabels.AGENT))) {
            return false;
        }
        if (proto != null && !proto.equals(alertLabels.get(AlertLabels.PROTO))) {
            return false;
        }
        if (port != null) {
            String p = alertLabels.get(AlertLabels.PORT);
            if (p == null || !port.contains(Integer.parseInt(p))) {
                return false;
            }
        }
        for (Map.Entry<String, ValuePattern> e : labels.entrySet()) {
            if (!e.getValue().matches(alertLabels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The matchers as the rules file and the API write them. */
    public Map<String, Object> document() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "rule", rule);
        put(out, "check", check);
        put(out, "target", target);
        if (proto != null) out.put("proto", proto);
        if (port != null) out.put("port", port.text());
        put(out, "agent", agent);
        if (!labels.isEmpty()) {
            Map<String, String> l = new LinkedHashMap<>();
            labels.forEach((k, v) -> l.put(k, v.text()));
            out.put("labels", l);
        }
        return out;
    }

    private static void put(Map<String, Object> out, String key, ValuePattern p) {
        if (p != null) out.put(key, p.text());
    }

    private static boolean matches(ValuePattern p, String value) {
        return p == null || p.matches(value);
    }
}
