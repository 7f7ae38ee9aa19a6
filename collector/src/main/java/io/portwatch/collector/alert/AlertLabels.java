package io.portwatch.collector.alert;

import io.portwatch.collector.check.CheckInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The labels an alert carries and that rules and silences match: the check's own labels, then
 * these built-in names (which win over a check label of the same name).
 */
public final class AlertLabels {

    public static final String RULE = "rule";
    public static final String KIND = "kind";
    public static final String CHECK = "check";
    public static final String TARGET = "target";
    public static final String PROTO = "proto";
    public static final String PORT = "port";
    public static final String AGENT = "agent";

    private AlertLabels() {}

    /** What a rule matches for one check instance of one agent. */
    public static Map<String, String> of(CheckInfo c) {
        Map<String, String> out = new LinkedHashMap<>(c.labels());
        out.put(CHECK, c.name());
        out.put(TARGET, c.target());
        out.put(PROTO, c.proto().name().toLowerCase(Locale.ROOT));
        out.put(PORT, Integer.toString(c.port()));
        out.put(AGENT, c.agentId());
        return out;
    }

    /** The same labels with the rule and kind of an alert about them. */
    public static Map<String, String> withAlert(Map<String, String> labels, String rule, String kind) {
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.put(RULE, rule);
        out.put(KIND, kind);
        return out;
    }
}
