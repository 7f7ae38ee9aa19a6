package io.portwatch.e2e;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every fault scenario needs around {@link DeployStack}: collectors (on an embedded or an
 * external PostgreSQL) and agents with a spool directory of their own, started again on the same
 * data after a kill, the agent's metrics, and the audit of the three 1 s checks of the stack.
 * Every process it starts is stopped on close, dead or alive.
 */
final class FaultRig implements AutoCloseable {

    /** The checks of {@link DeployStack} run every second: short enough that a minute is 60 results. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration STARTUP = Duration.ofSeconds(180);
    /**
     * What a killed agent may lose: the spool journals each result as it arrives, so only a probe
     * in flight at the kill (its timeout is 500 ms) or a result on its way to the journal, ticks of
     * the last second before the kill at most.
     */
    static final Duration IN_FLIGHT = Duration.ofSeconds(1);

    final DeployStack stack;
    private final List<AppProcess> started = new ArrayList<>();

    FaultRig(String name) throws IOException {
        stack = new DeployStack(name);
    }

    /**
     * The environment of a collector with its own embedded PostgreSQL in the work directory (the
     * default setup), secured as compose ships it: TLS on {@code httpsPort}, the ingest token, API keys.
     */
    Map<String, String> embeddedCollectorEnv(String name, int httpsPort) throws IOException {
        Map<String, String> env = new HashMap<>(stack.secureCollectorEnv(httpsPort));
        env.put("PORTWATCH_DATA_DIR", stack.work.resolve(name + "-postgres").toString());
        return env;
    }

    /** The compose agent's environment, pointed at a collector on loopback, with its spool in {@code spoolDir}. */
    Map<String, String> agentEnv(String agentId, int collectorPort, Path spoolDir) throws IOException {
        Map<String, String> env = stack.agentEnv(agentId, collectorPort);
        env.put("PORTWATCH_SPOOL_DIR", spoolDir.toString());
        return env;
    }

    Path spoolDir(String agentId) throws IOException {
        return Files.createDirectories(stack.work.resolve("spool-" + agentId));
    }

    AppProcess startCollector(String name, Map<String, String> env) throws IOException {
        return track(stack.startCollector(name, env));
    }

    AppProcess startAgent(String name, Map<String, String> env) throws IOException {
        return track(stack.startAgent(name, env));
    }

    private AppProcess track(AppProcess p) {
        started.add(p);
        return p;
    }

    void awaitReady(int port, AppProcess... logs) throws InterruptedException {
        DeployStack.awaitTrue("collector on " + port + " ready", STARTUP, () -> DeployStack.ready(port), logs);
    }

    /** Waits until the agent's three checks are served by the collector in their real states. */
    void awaitStates(int port, String agentId, AppProcess... logs) throws InterruptedException {
        DeployStack.awaitEqual(agentId + "'s checks in their real states", STARTUP, stack.expectedStates(),
                () -> DeployStack.currentStates(port, agentId), logs);
    }

    /** label ("agent key") → check id of the agent's three checks. */
    Map<String, Long> checkIds(int port, String agentId) {
        return HistoryAudit.checkIds(port, agentId, stack.expectedStates().keySet());
    }

    /** One sample of a gauge or counter from the agent's /q/metrics (the first series of that name), if present. */
    static Optional<Double> agentMetric(Map<String, String> agentEnv, String name) {
        String body = given(DeployTls.agentHttp(Integer.parseInt(agentEnv.get("QUARKUS_HTTP_PORT")))).get("/q/metrics")
                .then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }

    /** The status of a named check in the agent's /q/health/ready ("UP", "DOWN"), if it has one. */
    static Optional<String> agentHealthCheck(Map<String, String> agentEnv, String check) {
        String status = given(DeployTls.agentHttp(Integer.parseInt(agentEnv.get("QUARKUS_HTTP_PORT")))).get("/q/health/ready")
                .then().extract().jsonPath().getString("checks.find { it.name == '" + check + "' }.status");
        return Optional.ofNullable(status);
    }

    /** One collector on its own embedded PostgreSQL and one agent with a spool, both running, the agent reporting. */
    Single startSingle() throws IOException, InterruptedException {
        return new Single(spoolDir(Single.AGENT));
    }

    /** As {@link #startSingle()}, with the agent's spool in {@code spool}. */
    Single startSingle(Path spool) throws IOException, InterruptedException {
        return new Single(spool);
    }

    /** The processes of {@link #startSingle()}, replaced when a scenario kills and restarts them. */
    final class Single {
        static final String AGENT = "agent-a";
        final int port;
        final Map<String, String> collectorEnv;
        final Map<String, String> agentEnv;
        final Map<String, Long> ids;
        AppProcess collector;
        AppProcess agent;

        private Single(Path spool) throws IOException, InterruptedException {
            port = DeployStack.freePort();
            collectorEnv = embeddedCollectorEnv("collector", port);
            collector = startCollector("collector", collectorEnv);
            awaitReady(port, collector);
            agentEnv = agentEnv(AGENT, port, spool);
            agent = startAgent(AGENT, agentEnv);
            awaitStates(port, AGENT, agent, collector);
            ids = checkIds(port, AGENT);
        }

        /** Starts the collector again on the same data and port (after a kill), without waiting for it. */
        void restartCollector() throws IOException {
            collector = startCollector("collector", collectorEnv);
        }

        /** Starts the agent again with the same identity and spool directory (after a kill). */
        void restartAgent() throws IOException {
            agent = startAgent(AGENT, agentEnv);
        }

        AppProcess[] logs() {
            return new AppProcess[] {agent, collector};
        }
    }

    /** Sleeps until {@code until}; a scenario's phases are placed on the clock, not after each other's delays. */
    static void sleepUntil(Instant until) throws InterruptedException {
        long ms = Duration.between(Instant.now(), until).toMillis();
        if (ms > 0) Thread.sleep(ms);
    }

    /** How long a fault lasts: the scenario's default, or -Dfaults.outage=90s style overrides for quick runs. */
    static Duration outage(Duration standard) {
        String v = System.getProperty("faults.outage", "");
        return v.isBlank() ? standard : Duration.ofSeconds(Long.parseLong(v.replaceAll("s$", "")));
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        stack.close();
    }
}
