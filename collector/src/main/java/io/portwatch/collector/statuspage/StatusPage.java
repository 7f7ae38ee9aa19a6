package io.portwatch.collector.statuspage;

import io.portwatch.collector.agent.AgentEntity;
import io.portwatch.collector.agent.AgentRepository;
import io.portwatch.collector.alert.AlertLabels;
import io.portwatch.collector.alert.AlertRepository;
import io.portwatch.collector.alert.AlertState;
import io.portwatch.collector.alert.AlertView;
import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.finding.FindingService;
import io.portwatch.collector.check.CheckRepository.StateCount;
import io.portwatch.collector.check.CheckView;
import io.portwatch.collector.security.BrowserKeyCookie;
import io.portwatch.collector.uptime.DayUptime;
import io.portwatch.collector.uptime.IncidentRepository;
import io.portwatch.collector.uptime.IncidentView;
import io.portwatch.collector.uptime.UptimeService;
import io.portwatch.collector.statuspage.StatusView.AgentGroup;
import io.portwatch.collector.statuspage.StatusView.AgentRow;
import io.portwatch.collector.statuspage.StatusView.AlertRow;
import io.portwatch.collector.statuspage.StatusView.CheckRow;
import io.portwatch.collector.statuspage.StatusView.DaySegment;
import io.portwatch.collector.statuspage.StatusView.IncidentRow;
import io.portwatch.collector.statuspage.StatusView.Paging;
import io.portwatch.collector.statuspage.StatusView.Summary;
import io.portwatch.collector.statuspage.StatusView.TargetGroup;
import io.portwatch.core.check.PortState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the status page from the tables' owners: a page of checks and the counts of all that
 * match ({@link CheckRepository}), their 90-day bars in one query ({@link UptimeService#days}),
 * their recent incidents, the open alerts and the agents. A fixed number of queries per page,
 * whatever the number of checks.
 */
@ApplicationScoped
public class StatusPage {

    static final int DAYS = 90;
    static final int INCIDENTS = 20;
    static final int ALERTS = 100;
    static final int FINDINGS = 50;

    private final CheckRepository checks;
    private final UptimeService uptime;
    private final IncidentRepository incidents;
    private final AlertRepository alerts;
    private final AgentRepository agents;
    private final FindingService findings;
    private final StatusPageSettings settings;

    StatusPage(CheckRepository checks, UptimeService uptime, IncidentRepository incidents, AlertRepository alerts,
            AgentRepository agents, FindingService findings, StatusPageSettings settings) {
        this.findings = findings;
        this.checks = checks;
        this.uptime = uptime;
        this.incidents = incidents;
        this.alerts = alerts;
        this.agents = agents;
        this.settings = settings;
    }

    StatusView build(StatusQuery q, Instant now) {
        List<StateCount> counts = checks.stateCounts(q.filter());
        long total = counts.stream().mapToLong(StateCount::count).sum();
        int size = settings.pageSize();
        int pages = (int) Math.max(1, (total + size - 1) / size);
        int page = Math.min(q.page(), pages);
        List<CheckView> shown = checks.statusPage(q.filter(), (page - 1) * size, size);
        List<Long> ids = shown.stream().map(CheckView::id).toList();
        Map<Long, List<DayUptime>> bars = uptime.days(ids, now.atOffset(ZoneOffset.UTC).toLocalDate(), DAYS);
        Map<Long, CheckView> byId = shown.stream().collect(Collectors.toMap(CheckView::id, c -> c));
        List<IncidentRow> recent = incidents.recent(ids, now.minus(Duration.ofDays(DAYS)), INCIDENTS, now).stream()
                .map(i -> incident(i, byId.get(i.checkId()), now)).toList();
        List<AgentEntity> everyAgent = agents.listById();
        Paging paging = new Paging(page, pages, total == 0 ? 0 : (long) (page - 1) * size + 1,
                (long) (page - 1) * size + shown.size(), total,
                page > 1 ? "/" + q.queryString(page - 1) : null, page < pages ? "/" + q.queryString(page + 1) : null);
        return new StatusView(Texts.instant(now), BrowserKeyCookie.CONTENT_PATH + q.queryString(page),
                settings.refresh().toSeconds(), q,
                everyAgent.stream().map(a -> a.id).toList(),
                Arrays.stream(PortState.values()).map(Enum::name).toList(),
                summary(counts), openAlerts(q, now),
                findings.findings(null, q.agent()).stream().limit(FINDINGS).toList(), agentRows(q, everyAgent, counts, now), groups(shown, bars, now), recent,
                paging);
    }

    private static Summary summary(List<StateCount> counts) {
        long healthy = 0;
        long failing = 0;
        long unknown = 0;
        long pending = 0;
        for (StateCount c : counts) {
            switch (c.state()) {
                case CheckView.UNKNOWN -> unknown += c.count();
                case "PENDING" -> pending += c.count();
                default -> {
                    if (Boolean.TRUE.equals(c.healthy())) {
                        healthy += c.count();
                    } else {
                        failing += c.count();
                    }
                }
            }
        }
        return new Summary(healthy + failing + unknown + pending, healthy, failing, unknown, pending);
    }

    /** Pending and firing alerts, newest first, narrowed by the filters their labels can answer. */
    private List<AlertRow> openAlerts(StatusQuery q, Instant now) {
        return Stream.concat(alerts.list(AlertState.FIRING, null, 0, ALERTS).stream(),
                        alerts.list(AlertState.PENDING, null, 0, ALERTS).stream())
                .filter(a -> matches(q, a.labels()))
                .map(a -> new AlertRow(a.state().name().toLowerCase(java.util.Locale.ROOT), a.severity(), a.subject(),
                        a.summary(), Texts.instant(a.startedAt()), Texts.duration(Duration.between(a.startedAt(), now))))
                .toList();
    }

    private static boolean matches(StatusQuery q, Map<String, String> labels) {
        if (q.agent() != null && !q.agent().equals(labels.get(AlertLabels.AGENT))) {
            return false;
        }
        String target = labels.get(AlertLabels.TARGET);
        if (q.target() != null && (target == null || !target.toLowerCase(java.util.Locale.ROOT)
                .contains(q.target().toLowerCase(java.util.Locale.ROOT)))) {
            return false;
        }
        if (q.label() != null) {
            var f = q.filter();
            return f.labelValue().equals(labels.get(f.labelKey()));
        }
        return true;
    }

    /** The agents with matching checks (every agent when nothing filters), with their counts. */
    private static List<AgentRow> agentRows(StatusQuery q, List<AgentEntity> everyAgent, List<StateCount> counts,
            Instant now) {
        Map<String, long[]> byAgent = new HashMap<>(); // checks, failing, unknown
        for (StateCount c : counts) {
            long[] n = byAgent.computeIfAbsent(c.agentId(), k -> new long[3]);
            n[0] += c.count();
            if (c.state().equals(CheckView.UNKNOWN)) {
                n[2] += c.count();
            } else if (Boolean.FALSE.equals(c.healthy())) {
                n[1] += c.count();
            }
        }
        List<AgentRow> out = new ArrayList<>();
        for (AgentEntity a : everyAgent) {
            long[] n = byAgent.get(a.id);
            if (n == null && q.filtered()) {
                continue;
            }
            long[] counted = n == null ? new long[3] : n;
            String state = counted[2] > 0 ? "down" : a.connected ? "connected" : "disconnected";
            out.add(new AgentRow(a.id, a.host, state, Texts.instant(a.lastSeen),
                    Texts.duration(Duration.between(a.lastSeen, now)), counted[0], counted[1]));
        }
        return out;
    }

    /** The page's checks grouped by agent, then target, in the order they came (agent, target, port). */
    private static List<AgentGroup> groups(List<CheckView> shown, Map<Long, List<DayUptime>> bars, Instant now) {
        Map<String, Map<String, List<CheckRow>>> tree = new LinkedHashMap<>();
        for (CheckView c : shown) {
            tree.computeIfAbsent(c.agentId(), k -> new LinkedHashMap<>()).computeIfAbsent(c.target(), k -> new ArrayList<>())
                    .add(row(c, bars.getOrDefault(c.id(), List.of()), now));
        }
        return tree.entrySet().stream()
                .map(a -> new AgentGroup(a.getKey(), a.getValue().entrySet().stream()
                        .map(t -> new TargetGroup(t.getKey(), t.getValue())).toList()))
                .toList();
    }

    private static CheckRow row(CheckView c, List<DayUptime> days, Instant now) {
        String state = c.effectiveState();
        Instant since = c.unknownSince() != null ? c.unknownSince() : c.stateSince();
        String tone = state == null ? "pending" : c.unknownSince() != null ? "unknown"
                : Boolean.TRUE.equals(c.healthy()) ? "ok" : "bad";
        long samples = 0;
        long healthy = 0;
        List<DaySegment> segments = new ArrayList<>(days.size());
        for (DayUptime d : days) {
            samples += d.samples();
            healthy += d.healthy();
            segments.add(new DaySegment(Texts.dayTone(d), Texts.dayTip(d)));
        }
        return new CheckRow(c.id(), c.name(), c.proto().name().toLowerCase(java.util.Locale.ROOT) + "/" + c.port(),
                c.expect().name().toLowerCase(java.util.Locale.ROOT), state == null ? "PENDING" : state, tone,
                c.reason() == null ? "" : c.reason(), since == null ? "" : Texts.instant(since),
                since == null ? "" : Texts.duration(Duration.between(since, now)),
                c.latencyMs() == null ? "" : Texts.millis(c.latencyMs()),
                c.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                        .collect(Collectors.joining(" ")),
                samples == 0 ? "no data" : Texts.percent(100.0 * healthy / samples), segments);
    }

    private static IncidentRow incident(IncidentView i, CheckView c, Instant now) {
        String check = c == null ? "check " + i.checkId()
                : c.name() + " " + c.target() + " " + c.proto().name().toLowerCase(java.util.Locale.ROOT) + "/" + c.port();
        return new IncidentRow(i.checkId(), check, i.state(), i.reason(), Texts.instant(i.startedAt()),
                Texts.duration(Duration.ofMillis((long) (i.durationSeconds() * 1000))), i.ongoing());
    }
}
