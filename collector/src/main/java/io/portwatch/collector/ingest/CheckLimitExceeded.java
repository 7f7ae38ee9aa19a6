package io.portwatch.collector.ingest;

/**
 * Storing results would give an agent more check instance rows than
 * {@code portwatch.limits.instances-per-agent} allows. Thrown inside the transaction of a group
 * of batches (which then rolls back whole); {@link AgentSession} finds the batch and result that
 * named {@link #key}, stores the batches ahead of it and refuses the rest with a
 * {@link ProtocolViolation}.
 */
final class CheckLimitExceeded extends RuntimeException {

    /** The first new key over the limit. */
    final String key;
    /** The agent's rows before the group. */
    final long existing;
    /** New keys of the group ahead of {@link #key}. */
    final int ahead;
    final int limit;

    CheckLimitExceeded(String key, long existing, int ahead, int limit) {
        super("check instance " + key + " over the limit of " + limit, null, false, false);
        this.key = key;
        this.existing = existing;
        this.ahead = ahead;
        this.limit = limit;
    }

    /** {@code <field>: agent "a1" has 100000 check instances, at most 100000}. */
    String violation(String field, String agentId) {
        return field + ": agent \"" + agentId + "\" has " + (existing + ahead) + " check instances, at most " + limit;
    }
}
