package io.portwatch.collector;

/**
 * Whether this JVM runs a command ({@code collector keys ...}) rather than the collector. The
 * collector's own startup work (taking the leader lock, creating partitions, the rollup folder's
 * thread) checks it: a command runs beside a live collector and must not compete with it. Set
 * before Quarkus starts; not a setting, since no one should turn it on for a collector.
 */
public final class CommandMode {

    private static volatile boolean active;

    private CommandMode() {}

    public static boolean active() {
        return active;
    }

    /** Called by the command line ({@code cli.CollectorCommands}) before it starts Quarkus for a command. */
    public static void activate() {
        active = true;
    }

    /** Who a command acts as, for the audit log: {@code cli:<OS user>}. */
    public static String operator() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }
}
