package io.portwatch.collector.metrics;

import io.portwatch.collector.alert.AlertLabels;
import io.portwatch.collector.alert.AlertView;
import io.portwatch.collector.check.CheckRepository.Status;
import io.portwatch.core.check.PortState;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-check series, written from one reading of the checks and the firing alerts. A check
 * whose state is not known — its agent is down, so the API shows it UNKNOWN — has no
 * {@code portwatch_check_up} and no latency: it is neither up nor down, and a gap keeps
 * {@code avg_over_time} honest where a 0 would call it down and NaN would poison the average. Its
 * state series say {@code unknown}.
 */
final class CheckFamilies {

    static final String UP = "portwatch_check_up";
    static final String STATE = "portwatch_check_state";
    static final String LATENCY = "portwatch_check_latency_seconds";
    static final String ALERTS = "portwatch_alerts_firing";

    /** The labels that name a check instance, as the alert rules and silences name them. */
    private static final List<String> CHECK = List.of(AlertLabels.CHECK, AlertLabels.TARGET, AlertLabels.PROTO,
            AlertLabels.PORT, AlertLabels.AGENT);
    private static final List<String> CHECK_STATE = with(CHECK, "state");
    private static final List<String> ALERT = with(List.of(AlertLabels.RULE, AlertLabels.KIND, "severity", "silenced"),
            CHECK.toArray(String[]::new));
    private static final PortState[] STATES = PortState.values();
    private static final String[] STATE_NAMES = new String[STATES.length];

    static {
        for (PortState s : STATES) {
            STATE_NAMES[s.ordinal()] = s.name().toLowerCase(Locale.ROOT);
        }
    }

    private CheckFamilies() {}

    /** The families of {@code checks} and {@code alerts}; a family with no series is still named. */
    static List<MetricFamilySamples> of(List<Status> checks, List<AlertView> alerts) {
        GaugeMetricFamily up = new GaugeMetricFamily(UP,
                "1 when the check's port is as it expects (open, or closed/filtered for expect: closed), 0 when not;"
                        + " absent while its state is unknown (its agent is down)", CHECK);
        GaugeMetricFamily state = new GaugeMetricFamily(STATE,
                "1 for the check's current state, 0 for the others (unknown while its agent is down)", CHECK_STATE);
        GaugeMetricFamily latency = new GaugeMetricFamily(LATENCY,
                "latency of the check's newest known result", CHECK);
        for (Status c : checks) {
            List<String> labels = List.of(c.name(), c.target(), c.proto().name().toLowerCase(Locale.ROOT),
                    Integer.toString(c.port()), c.agentId());
            PortState current = c.unknown() ? PortState.UNKNOWN : c.state();
            for (PortState s : STATES) {
                state.addMetric(with(labels, STATE_NAMES[s.ordinal()]), s == current ? 1 : 0);
            }
            if (c.unknown()) {
                continue;
            }
            up.addMetric(labels, c.healthy() ? 1 : 0);
            if (c.latencyMicros() != null) {
                latency.addMetric(labels, c.latencyMicros() / 1e6);
            }
        }
        GaugeMetricFamily firing = new GaugeMetricFamily(ALERTS,
                "1 for each firing alert; the check labels are empty where the alert is not about one check"
                        + " (agent_down, or a port alert over several agents has no agent)", ALERT);
        for (AlertView a : alerts) {
            Map<String, String> l = a.labels();
            firing.addMetric(List.of(a.rule(), a.kind().name().toLowerCase(Locale.ROOT), a.severity(),
                    Boolean.toString(a.silenced()), l.getOrDefault(AlertLabels.CHECK, ""),
                    l.getOrDefault(AlertLabels.TARGET, ""), l.getOrDefault(AlertLabels.PROTO, ""),
                    l.getOrDefault(AlertLabels.PORT, ""), l.getOrDefault(AlertLabels.AGENT, "")), 1);
        }
        return List.of(up, state, latency, firing);
    }

    private static List<String> with(List<String> head, String... tail) {
        List<String> out = new ArrayList<>(head.size() + tail.length);
        out.addAll(head);
        out.addAll(List.of(tail));
        return List.copyOf(out);
    }
}
