package io.portwatch.agent.spool;

/**
 * When the spool forces appended batches to the disk. A batch written to a file survives the
 * agent being killed in every mode (it is in the OS page cache); forcing matters for a power loss
 * or a kernel crash. docs/reliability.md gives the measured cost of each.
 */
public enum FsyncPolicy {
    /** Each batch is forced before it is sent: nothing acknowledged-able is lost to a power loss. */
    BATCH,
    /** At most every {@code portwatch.spool.fsync-interval}: a power loss costs up to that interval. */
    INTERVAL,
    /** Never forced by the agent: the OS writes back (about 30 s on Linux by default). */
    NEVER
}
