package io.portwatch.e2e;

import static io.portwatch.e2e.DeployStack.awaitTrue;
import static io.portwatch.e2e.DeployStack.freePort;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.portwatch.core.testing.NetworkNamespace;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Every finding kind on real sockets (issue 19): agent "ns-host" runs inside a network namespace
 * whose host has one service bound to its loopback, one bound to its wildcard address behind an
 * nft drop rule, nothing on a third port, and its own HTTP port that no check covers; agent
 * "root-prober", in the root namespace, checks the three ports over the veth link. Both stream to
 * a packaged collector. Each finding must appear with its evidence, then go when its cause is
 * removed (the drop rule flushed, the service rebound to the wildcard address, a service started
 * on the third port, a check declared for the HTTP port).
 */
class FindingsNetnsIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String HOST_AGENT = "ns-host";
    private static final String PROBER = "root-prober";
    private static final String TOKEN = "pwt_findings_netns_it_token_0123456789";

    @Test
    void eachFindingAppearsWithItsEvidenceAndGoesWithItsCause() throws Exception {
        assumeTrue(NetworkNamespace.onPath("nft"), "no nft: the drop rule needs nftables");
        assumeTrue(NetworkNamespace.onPath("python3"), "no python3 for the namespace's services");
        NetworkNamespace ns = NetworkNamespace.forTest("pwfind", "pwf");
        Path work = Files.createTempDirectory("portwatch-findings");
        ns.create();
        int loopbackPort = 20_000 + ThreadLocalRandom.current().nextInt(5_000);
        int droppedPort = loopbackPort + 1;
        int downPort = loopbackPort + 2;
        String target = ns.targetAddress().getHostAddress();
        Process loopbackService = ns.startInside("python3", "-c", service("127.0.0.1", loopbackPort));
        ns.startInside("python3", "-c", service("0.0.0.0", droppedPort));
        ns.nft("""
                table inet findings {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    iifname != "lo" tcp dport %d drop
                  }
                }
                """.formatted(droppedPort));

        int port = freePort();
        Map<String, String> collectorEnv = new HashMap<>();
        collectorEnv.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        collectorEnv.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(freePort()));
        collectorEnv.put("PORTWATCH_DATA_DIR", work.resolve("postgres").toString());
        collectorEnv.put("PORTWATCH_INGEST_TOKEN", TOKEN);
        collectorEnv.put("PORTWATCH_SECURITY_ANONYMOUS_READ", "true");
        Path proberChecks = Files.createDirectories(work.resolve("prober-checks"));
        Files.writeString(proberChecks.resolve("ns.yaml"), """
                defaults:
                  interval: 1s
                  timeout: 500ms
                checks:
                  - name: db
                    targets: [%s]
                    tcp: [%d]
                  - name: app
                    targets: [%s]
                    tcp: [%d]
                  - name: api
                    targets: [%s]
                    tcp: [%d]
                """.formatted(target, loopbackPort, target, droppedPort, target, downPort));
        Path hostChecks = Files.createDirectories(work.resolve("host-checks"));
        try (AppProcess collector = AppProcess.start("collector", DeployStack.ROOT.resolve("collector/target/quarkus-app"),
                collectorEnv, work.resolve("collector.log"))) {
            awaitTrue("collector ready", Duration.ofSeconds(120), () -> DeployStack.ready(port), collector);
            Map<String, String> hostEnv = agentEnv(HOST_AGENT, hostChecks, ns.hostAddress().getHostAddress(), port, work);
            hostEnv.put("QUARKUS_HTTP_HOST", "0.0.0.0"); // the agent's own port, reachable and undeclared
            int agentHttpPort = Integer.parseInt(hostEnv.get("QUARKUS_HTTP_PORT"));
            try (AppProcess host = AppProcess.start("ns-agent", List.of("ip", "netns", "exec", ns.name()),
                    DeployStack.ROOT.resolve("agent/target/quarkus-app"), hostEnv, work.resolve("ns-agent.log"));
                    AppProcess prober = AppProcess.start("prober", DeployStack.ROOT.resolve("agent/target/quarkus-app"),
                            agentEnv(PROBER, proberChecks, "127.0.0.1", port, work), work.resolve("prober.log"))) {
                Map<Integer, String> expected = Map.of(loopbackPort, "bound-to-loopback-only",
                        droppedPort, "listening-but-unreachable", downPort, "declared-but-not-listening",
                        agentHttpPort, "reachable-but-undeclared");
                awaitTrue("every kind: " + expected, SETTLE, () -> kinds(port).equals(expected), host, prober, collector);
                JsonPath findings = given().port(port).queryParam("agent", HOST_AGENT).get("/api/v1/findings")
                        .then().statusCode(200).extract().jsonPath();
                String unreachable = "find { it.port == " + droppedPort + " }";
                assertEquals(List.of(PROBER, HOST_AGENT), findings.getList(unreachable + ".evidence.agent"));
                assertEquals("check \"app\" of " + target + " tcp/" + droppedPort + " is filtered (timeout)",
                        findings.getString(unreachable + ".evidence[0].fact"));
                String loopbackFact = findings.getString("find { it.port == " + loopbackPort + " }.evidence[1].fact");
                assertEquals(true, loopbackFact.startsWith("listens on tcp 127.0.0.1:" + loopbackPort + " (pid "), loopbackFact);
                // The inside view the API serves agrees with ss -ltnu in the namespace for the test's ports.
                JsonPath inside = given().port(port).get("/api/v1/hosts/" + HOST_AGENT + "/listening")
                        .then().statusCode(200).extract().jsonPath();
                java.util.Set<String> listed = new java.util.TreeSet<>();
                for (int i = 0; i < inside.getList("sockets").size(); i++) {
                    listed.add(inside.getString("sockets[" + i + "].proto") + " " + inside.getString("sockets[" + i + "].address")
                            + ":" + inside.getInt("sockets[" + i + "].port"));
                }
                java.util.Set<String> ss = new java.util.TreeSet<>();
                for (String line : ns.inside("ss", "-H", "-ltnu").split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 5) { // Netid State Recv-Q Send-Q Local:Port Peer
                        String local = f[4];
                        int colon = local.lastIndexOf(':');
                        String address = local.substring(0, colon).replace("[", "").replace("]", "");
                        ss.add(f[0] + " " + (address.equals("*") ? "::" : address) + ":" + local.substring(colon + 1));
                    }
                }
                for (int p : List.of(loopbackPort, droppedPort, agentHttpPort)) {
                    List<String> ours = listed.stream().filter(x -> x.endsWith(":" + p)).toList();
                    List<String> theirs = ss.stream().filter(x -> x.endsWith(":" + p)).toList();
                    assertEquals(theirs, ours, "port " + p + ": ss -ltnu lists " + ss + ", the API " + listed);
                }

                // Causes removed: the firewall lets the port through; the service binds every address.
                ns.nft("flush ruleset");
                loopbackService.destroy();
                loopbackService.waitFor();
                ns.startInside("python3", "-c", service("0.0.0.0", loopbackPort));
                ns.startInside("python3", "-c", service("0.0.0.0", downPort));
                Files.writeString(proberChecks.resolve("agent.yaml"), """
                        checks:
                          - name: ns-agent-http
                            targets: [%s]
                            tcp: [%d]
                            interval: 1s
                            timeout: 500ms
                        """.formatted(target, agentHttpPort));
                awaitTrue("every finding gone", SETTLE, () -> kinds(port).isEmpty(), host, prober, collector);
            }
        } finally {
            ns.remove();
        }
    }

    /** A TCP service bound to {@code address}: prints "ready", accepts and closes until killed. */
    private static String service(String address, int port) {
        return "import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('" + address + "', " + port + "))\ns.listen(16)\nprint('ready', flush=True)\n"
                + "while True:\n    s.accept()[0].close()\n";
    }

    private static Map<String, String> agentEnv(String id, Path checks, String collectorHost, int collectorPort, Path work)
            throws java.io.IOException {
        Map<String, String> env = AppProcess.agentEnv(id, checks, Files.createDirectories(work.resolve(id)), collectorPort);
        env.put("PORTWATCH_COLLECTOR_HOST", collectorHost);
        env.put("PORTWATCH_COLLECTOR_TOKEN", TOKEN);
        env.put("PORTWATCH_COLLECTOR_RECONNECT_MAX_BACKOFF", "2s");
        env.put("PORTWATCH_INVENTORY_INTERVAL", "1s");
        return env;
    }

    /** The host agent's findings: port to kind. */
    private static Map<Integer, String> kinds(int port) {
        JsonPath findings = given().port(port).queryParam("agent", HOST_AGENT).get("/api/v1/findings")
                .then().statusCode(200).extract().jsonPath();
        Map<Integer, String> kinds = new HashMap<>();
        List<Map<String, Object>> all = findings.getList("$");
        for (Map<String, Object> f : all) {
            kinds.put((Integer) f.get("port"), (String) f.get("kind"));
        }
        return kinds;
    }
}
