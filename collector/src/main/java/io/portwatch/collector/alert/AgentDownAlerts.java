package io.portwatch.collector.alert;

import io.portwatch.collector.agent.AgentRepository;
import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import io.portwatch.collector.check.CheckRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One AGENT_DOWN alert per agent silent for longer than {@code portwatch.alerts.agent-down-after};
 * while it is open the agent's check instances are UNKNOWN ({@code check_instance.unknown_since}).
 */
@ApplicationScoped
class AgentDownAlerts {

    static final String RULE = "agent-down";

    /** What a sweep found: agents that went down now, came back now, and all that are down. */
    record Change(Set<String> wentDown, Set<String> cameBack, Set<String> down) {}

    private final AlertRepository alerts;
    private final AgentRepository agents;
    private final CheckRepository checks;
    private final AlertNotifier notifier;
    private final AlertSettings settings;

    AgentDownAlerts(AlertRepository alerts, AgentRepository agents, CheckRepository checks, AlertNotifier notifier,
            AlertSettings settings) {
        this.alerts = alerts;
        this.agents = agents;
        this.checks = checks;
        this.notifier = notifier;
        this.settings = settings;
    }

    Change sweep(Connection c, Instant now) throws SQLException {
        Instant cutoff = now.minus(settings.agentDownAfter());
        Map<String, Long> open = alerts.open(c, Kind.AGENT_DOWN);
        Set<String> wentDown = new HashSet<>();
        Set<String> cameBack = new HashSet<>();
        Set<String> down = new HashSet<>();
        for (AgentRepository.Seen seen : agents.lastSeen(c)) {
            String agent = seen.id();
            Long alertId = open.get(key(agent));
            if (seen.lastSeen().isBefore(cutoff)) {
                down.add(agent);
                if (alertId == null) {
                    fire(c, agent, seen.host(), seen.lastSeen(), now);
                    wentDown.add(agent);
                }
            } else if (alertId != null) {
                resolve(c, agent, alertId, now);
                cameBack.add(agent);
            }
        }
        return new Change(wentDown, cameBack, down);
    }

    /** The agent reported: resolves its AGENT_DOWN alert, if one is open. */
    boolean back(Connection c, String agent, Instant now) throws SQLException {
        Long alertId = alerts.open(c, Kind.AGENT_DOWN).get(key(agent));
        if (alertId == null) {
            return false;
        }
        resolve(c, agent, alertId, now);
        return true;
    }

    private void fire(Connection c, String agent, String host, Instant lastSeen, Instant now) throws SQLException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(AlertLabels.AGENT, agent);
        labels.put("host", host);
        long id = alerts.insert(c, new AlertRepository.NewAlert(RULE, Kind.AGENT_DOWN, agent, AlertState.FIRING,
                settings.agentDownSeverity().text(), "agent " + agent + " (" + host + ") silent since " + lastSeen,
                labels, settings.agentDownChannels().orElse(List.of()), lastSeen, now, null, null, List.of(agent)), now);
        checks.markUnknown(c, agent, now);
        notifier.notify(c, id, Event.FIRING, now);
    }

    private void resolve(Connection c, String agent, long alertId, Instant now) throws SQLException {
        alerts.resolve(c, alertId, now);
        checks.markUnknown(c, agent, null);
        notifier.notify(c, alertId, Event.RESOLVED, now);
    }


    private static String key(String agent) {
        return RULE + "\u0000" + agent;
    }
}
