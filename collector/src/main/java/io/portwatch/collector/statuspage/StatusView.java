package io.portwatch.collector.statuspage;

import io.portwatch.collector.finding.Finding;
import java.util.List;

/**
 * What the status page shows, already in words: the templates only lay it out. Every string in
 * here may come from the network (agent ids, targets, labels, reasons); the templates escape it.
 */
public record StatusView(
        String asOf,
        String contentUrl,
        long refreshSeconds,
        StatusQuery query,
        List<String> agentIds,
        List<String> states,
        Summary summary,
        List<AlertRow> alerts,
        List<Finding> findings,
        List<AgentRow> agents,
        List<AgentGroup> groups,
        List<IncidentRow> incidents,
        Paging paging) {

    /** The matching checks by what the page shows. */
    public record Summary(long checks, long healthy, long failing, long unknown, long pending) {}

    /** An open (pending or firing) alert. */
    public record AlertRow(String state, String severity, String subject, String summary, String since, String heldFor) {}

    /** An agent: connected, disconnected, or down (its checks UNKNOWN); its matching checks. */
    public record AgentRow(String id, String host, String state, String lastSeen, String lastSeenAgo, long checks,
            long failing) {}

    public record AgentGroup(String agentId, List<TargetGroup> targets) {}

    public record TargetGroup(String target, List<CheckRow> checks) {}

    /**
     * One check instance: its state as shown, how long it has held, and its 90-day bar.
     * {@code tone} is the CSS class of its health: ok, bad, unknown or pending.
     */
    public record CheckRow(long id, String name, String port, String expect, String state, String tone, String reason,
            String since, String heldFor, String latency, String labels, String uptime, List<DaySegment> days) {}

    /** One day of a bar: its CSS class (ok, warn, bad, unknown, none) and its tooltip. */
    public record DaySegment(String tone, String tip) {}

    public record IncidentRow(long checkId, String check, String state, String reason, String started, String duration,
            boolean ongoing) {}

    /** Which part of the matching checks this page shows; {@code previous} and {@code next} are URLs or null. */
    public record Paging(int page, int pages, long first, long last, long total, String previous, String next) {}
}
