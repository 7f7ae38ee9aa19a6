package io.portwatch.collector.finding;

import java.time.Instant;
import java.util.List;

/**
 * One finding about a port of a host, with what it rests on.
 *
 * @param kind what was found, e.g. {@code listening-but-unreachable}
 * @param agent the agent on the host the finding is about (whose inventory is one side)
 * @param summary one sentence for people
 * @param evidence each fact, from which agent and when
 */
public record Finding(String kind, String agent, String proto, int port, String summary, List<Evidence> evidence) {

    /**
     * @param agent the agent that saw it
     * @param source {@code inventory} (the host's own sockets) or {@code check} (a probe from outside)
     * @param checkId the check, for a check's evidence
     */
    public record Evidence(String agent, String source, String fact, Instant since, Long checkId) {}
}
