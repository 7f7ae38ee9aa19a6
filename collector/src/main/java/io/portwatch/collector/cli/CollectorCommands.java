package io.portwatch.collector.cli;

import io.portwatch.collector.CommandMode;
import io.portwatch.collector.db.EmbeddedPostgresLauncher;
import io.quarkus.runtime.Quarkus;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Command mode: {@code collector keys create --role admin} and the like. It starts Quarkus for its
 * datasource, Flyway and repositories, but binds no port (REST and gRPC share the HTTP server, which
 * stays off), runs no scheduled job and none of the collector's startup work ({@link CommandMode}),
 * so it can run beside a collector. With the embedded
 * PostgreSQL it connects to the server that a running collector holds, and starts one itself only
 * when none runs; with an external database it uses QUARKUS_DATASOURCE_* like the collector.
 * Logs go to stderr, so stdout holds only the command's output.
 */
public final class CollectorCommands {

    /** Exit code for bad arguments. */
    public static final int USAGE = 2;

    /** Command groups by name, with their usage: the name selects command mode before anything starts. */
    static final Map<String, String> GROUPS = Map.of("keys", KeysCommand.USAGE, "agent-tokens", AgentTokensCommand.USAGE);

    private CollectorCommands() {}

    public static boolean handles(String firstArgument) {
        return GROUPS.containsKey(firstArgument);
    }

    /** Runs the command in {@code args} (group first) and returns its exit code. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        if (CollectorMain.externalDatabaseUrl() == null) {
            Optional<Integer> port = EmbeddedPostgresLauncher.portOfRunningServer(CollectorMain.dataDir());
            if (port.isPresent()) {
                err.printf("using the embedded PostgreSQL of the running collector (127.0.0.1:%d)%n", port.get());
                System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port.get() + "/postgres");
                System.setProperty("quarkus.datasource.username", "postgres");
            } else {
                CollectorMain.useDatabase(CollectorMain.startEmbeddedDatabase());
            }
        }
        commandModeSettings().forEach(System::setProperty);
        CommandMode.activate();
        AtomicInteger exit = new AtomicInteger(1);
        Quarkus.run(CommandApplication.class, (code, failure) -> {
            if (failure != null) {
                err.println("the command failed: " + failure.getMessage());
            }
            exit.set(failure != null && code == 0 ? 1 : code);
        }, args);
        return exit.get();
    }

    /** Who runs a command, as the audit log and the created_by columns name it: {@code cli:<OS user>}. */
    /** What makes this Quarkus a command and not a second collector. */
    static Map<String, String> commandModeSettings() {
        return Map.of(
                "quarkus.http.host-enabled", "false",
                "quarkus.scheduler.enabled", "false",
                "quarkus.log.console.stderr", "true",
                "quarkus.log.level", "WARN");
    }
}
