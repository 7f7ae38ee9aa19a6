package io.portwatch.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged Quarkus app run as a real process, its output in a log file. */
final class AppProcess implements AutoCloseable {

    private final String name;
    private final Path log;
    private final Process process;

    private AppProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static AppProcess start(String name, Path quarkusApp, Map<String, String> env, Path log, String... args)
            throws IOException {
        return start(name, List.of(), quarkusApp, env, log, args);
    }

    /** With {@code prefix} before the java command, e.g. {@code ip netns exec NAME} to run it in a network namespace. */
    static AppProcess start(String name, List<String> prefix, Path quarkusApp, Map<String, String> env, Path log,
            String... args) throws IOException {
        Path jar = quarkusApp.resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify (or install) from the root");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(java, "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Never inherit a datasource from the developer's shell: each test says what it wants.
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().putAll(env);
        return new AppProcess(name, log, pb.start());
    }

    /**
     * What points a packaged agent, named {@code agentId}, at the collector on 127.0.0.1:{@code
     * collectorPort} with the checks of {@code checksDir} (re-read every second) and its spool in
     * {@code work}/agent-spool; its own HTTP port is a free one. The caller adds the credential.
     */
    static Map<String, String> agentEnv(String agentId, Path checksDir, Path work, int collectorPort) throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(DeployStack.freePort()));
        env.put("PORTWATCH_AGENT_ID", agentId);
        env.put("PORTWATCH_CHECKS_DIR", checksDir.toString());
        env.put("PORTWATCH_SPOOL_DIR", work.resolve("agent-spool").toString());
        env.put("PORTWATCH_RELOAD_INTERVAL", "1s");
        env.put("PORTWATCH_COLLECTOR_HOST", "127.0.0.1");
        env.put("PORTWATCH_COLLECTOR_PORT", String.valueOf(collectorPort));
        return env;
    }

    /** A thread dump of the running process (jcmd), for failure messages; empty when it cannot be taken. */
    String threadDump() {
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            Path jcmd = Path.of(java).resolveSibling("jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return name + " threads:\n" + out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return name + " log (" + log + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return name + " log unreadable: " + e.getMessage();
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within the grace period. */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL: no shutdown hooks, children left as they are. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(20));
        }
    }
}
