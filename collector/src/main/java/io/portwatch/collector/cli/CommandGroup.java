package io.portwatch.collector.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One group of collector commands ({@code keys create|list|revoke}), run inside a started
 * Quarkus (datasource, Flyway, repositories) without the HTTP server or schedulers. A new group is
 * a bean implementing this, and its name and usage in {@link CollectorCommands#GROUPS}
 * (known before Quarkus starts, so a typo costs no start).
 */
public interface CommandGroup {

    /** The first argument that selects this group, e.g. {@code keys}. */
    String name();

    /**
     * Runs one command; {@code args} follow the group's name. Exit codes: 0 done, 1 refused (not
     * found, already revoked), {@link CollectorCommands#USAGE} for bad arguments.
     */
    int run(List<String> args, PrintStream out, PrintStream err);
}
