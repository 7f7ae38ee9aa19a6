package io.portwatch.collector.alert;

import io.portwatch.collector.alert.notify.AlertNotification.Event;
import io.portwatch.collector.alert.notify.AlertNotification.Kind;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.AlertRules;
import io.portwatch.collector.db.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
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

    /** The columns of {@link CheckInfoCache#COLUMNS} first, then when it last reported and whether its agent is down. */
    private static final String STALE = "with s as (select c.*, ?::timestamptz - c.interval_ms * ? * interval '1 millisecond' as horizon"
            + " from check_instance c where c.in_catalog and c.interval_ms > 0),"
            // Each agent's newest result once, not a scan of its checks for every stale one (that
            // took 24 s with 8,000 stale checks).
            + " heard as (select agent_id, max(observed_at) as newest from check_instance group by agent_id)"
            + " select s.id, s.agent_id, s.instance_key, s.check_name, s.target, s.proto,"
            + " s.port, s.expect, s.interval_ms, s.labels::text, coalesce(s.observed_at, s.added_at), a.last_seen < ?,"
            // The agent itself silent as long (no heartbeat, no result of any of its checks): that is
            // the agent-down case, one alert for the agent after agent-down-after, not one per check now.
            + " not (a.last_seen >= s.horizon or coalesce(h.newest >= s.horizon, false))"
            + " from s join agent a on a.id = s.agent_id left join heard h on h.agent_id = s.agent_id"
            + " where coalesce(s.observed_at, s.added_at) < s.horizon"
            // A silent agent's checks matter only when they hold a NO_DATA alert (kept until the
            // agent is back): a down agent's thousands of checks are not read every sweep. CASE
            // makes this test come first: as two ANDed conditions, the planner evaluated the
            // result subquery below (which needs only s) while scanning check_instance, before the
            // join that knows the agent is silent — 10,000 index probes into each of the result
            // partitions it could not prune, every sweep, for a down agent's checks.
            + " and case when a.last_seen >= s.horizon or coalesce(h.newest >= s.horizon, false)"
            + " or s.agent_id || '|' || s.instance_key = any (?)"
            // The check's newest result reaches check_instance with the rollup fold: look at the
            // raw results of those that seem stale before calling them so — only the results not
            // folded yet (the backlog's) and those of the last minute, and one check at a time
            // through the (check_id, observed_at) index. A scalar subquery, so the planner cannot
            // turn it into a join: as NOT EXISTS it became a parallel scan of every result
            // partition, 20 s per sweep with 10,000 stale checks over 86M results.
            + " then (select max(r.observed_at) from result r where r.check_id = s.id and r.observed_at >="
            + " greatest(s.horizon, least(coalesce((select min(min_observed) from rollup_backlog), ?::timestamptz),"
            + " ?::timestamptz - interval '1 minute'))) is null else false end";

    private final AlertRepository alerts;
    private final AlertNotifier notifier;
    private final AlertSettings settings;

    NoDataAlerts(AlertRepository alerts, AlertNotifier notifier, AlertSettings settings) {
        this.alerts = alerts;
        this.notifier = notifier;
        this.settings = settings;
    }

    void sweep(Connection c, Instant now, AlertRules.InForce rules, CheckInfoCache checks) throws SQLException {
        Map<String, Long> open = alerts.open(c, Kind.NO_DATA);
        Set<String> stillStale = new HashSet<>();
        Map<String, Long> toResolve = new HashMap<>(open);
        try (PreparedStatement ps = c.prepareStatement(STALE)) {
            ps.setObject(1, Timestamps.utc(now));
            ps.setInt(2, settings.noDataIntervals());
            ps.setObject(3, Timestamps.utc(now.minus(settings.agentDownAfter())));
            ps.setArray(4, c.createArrayOf("text",
                    open.keySet().stream().map(k -> k.substring(k.indexOf('\u0000') + 1)).distinct().toArray()));
            ps.setObject(5, Timestamps.utc(now));
            ps.setObject(6, Timestamps.utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CheckInfo info = checks.info(rs);
                    Instant last = rs.getObject(11, OffsetDateTime.class).toInstant();
                    boolean agentDown = rs.getBoolean(12);
                    boolean agentSilent = rs.getBoolean(13);
                    for (AlertRule rule : CheckInfoCache.matching(info, rules)) {
                        String key = rule.name() + "\u0000" + subject(info);
                        stillStale.add(key);
                        toResolve.remove(key);
                        if (!open.containsKey(key) && !agentDown && !agentSilent) {
                            fire(c, rule, info, last, now);
                        }
                    }
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
