package io.portwatch.collector.alert;

import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.collector.check.CheckInfo;
import io.portwatch.collector.check.CheckRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NO_DATA: a check instance in its agent's catalog with no result for {@code no-data-intervals} of
 * its intervals, one alert per matching rule, while its agent is heard from (a heartbeat or a result
 * of another check within that time). An instance of a silent or down agent raises none (the one
 * agent-down alert says it all) and keeps the one it has until the agent is back.
 */
@ApplicationScoped
class NoDataAlerts {

    private final AlertRepository alerts;
    private final CheckRepository checks;
    private final AlertNotifier notifier;
    private final AlertSettings settings;

    NoDataAlerts(AlertRepository alerts, CheckRepository checks, AlertNotifier notifier, AlertSettings settings) {
        this.alerts = alerts;
        this.checks = checks;
        this.notifier = notifier;
        this.settings = settings;
    }

    void sweep(Connection c, Instant now, AlertRules.InForce rules) throws SQLException {
        Map<String, Long> open = alerts.open(c, Kind.NO_DATA);
        Set<String> stillStale = new HashSet<>();
        Map<String, Long> toResolve = new HashMap<>(open);
        Set<String> held = new HashSet<>();
        open.keySet().forEach(k -> held.add(k.substring(k.indexOf('\u0000') + 1)));
        for (CheckRepository.StaleCheck stale : checks.stale(c, now, settings.noDataIntervals(),
                now.minus(settings.agentDownAfter()), held)) {
            CheckInfo info = stale.info();
            for (AlertRule rule : CheckInfoCache.matching(info, rules)) {
                String key = rule.name() + "\u0000" + subject(info);
                stillStale.add(key);
                toResolve.remove(key);
                if (!open.containsKey(key) && !stale.agentDown() && !stale.agentSilent()) {
                    fire(c, rule, info, stale.lastHeard(), now);
                }
            }
        }
        for (Long id : toResolve.values()) {
            alerts.resolve(c, id, now);
            notifier.notify(c, id, Event.RESOLVED, now);
        }
    }

    private void fire(Connection c, AlertRule rule, CheckInfo info, Instant last, Instant now) throws SQLException {
        String summary = "no result for " + info.where() + " from agent " + info.agentId() + " since " + last + " ("
                + settings.noDataIntervals() + " intervals of " + info.intervalMs() + " ms)";
        long id = alerts.insert(c, new AlertRepository.NewAlert(rule.name(), Kind.NO_DATA, subject(info),
                AlertState.FIRING, rule.severity().text(), summary, AlertLabels.of(info), rule.channels(), last, now,
                null, null, List.of(info.agentId())), now);
        notifier.notify(c, id, Event.FIRING, now);
    }

    /** One agent's instance: each agent's silence is its own. */
    static String subject(CheckInfo info) {
        return info.agentId() + "|" + info.key();
    }
}
