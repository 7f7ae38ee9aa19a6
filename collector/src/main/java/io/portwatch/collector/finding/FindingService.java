package io.portwatch.collector.finding;

import io.portwatch.collector.agent.AgentEntity;
import io.portwatch.collector.agent.AgentRepository;
import io.portwatch.collector.check.CheckRepository;
import io.portwatch.collector.check.CheckView;
import io.portwatch.collector.inventory.ListeningHostEntity;
import io.portwatch.collector.inventory.ListeningRepository;
import io.portwatch.collector.inventory.ListeningSocketEntity;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;
import io.portwatch.core.net.BindScope;
import io.portwatch.core.net.IpText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Findings, computed when asked from the current state of both sides: each agent's listening
 * sockets (its inventory) and every agent's checks. A finding therefore goes as soon as its cause
 * does. Only hosts whose agent is connected are judged: a disconnected agent's inventory may be
 * stale, and a finding must rest on what is known now.
 *
 * <p>A check's target host is the agent whose host addresses include the address the check last
 * probed (or its target, when that is an address literal), or, for a probe of loopback, the
 * prober's own host. A target no agent claims yields no finding.
 */
@ApplicationScoped
public class FindingService {

    private final ListeningRepository listening;
    private final CheckRepository checks;
    private final AgentRepository agents;

    FindingService(ListeningRepository listening, CheckRepository checks, AgentRepository agents) {
        this.listening = listening;
        this.checks = checks;
        this.agents = agents;
    }

    /** Every finding now, by host agent, protocol and port; {@code kind} and {@code agent} filter when not null. */
    @Transactional
    public List<Finding> findings(FindingKind kind, String agent) {
        Map<String, AgentEntity> connected = agents.listById().stream().filter(a -> a.connected)
                .collect(Collectors.toMap(a -> a.id, a -> a));
        Map<String, Host> hosts = new HashMap<>();
        Map<String, String> agentByAddress = new HashMap<>();
        for (ListeningHostEntity h : listening.hosts()) {
            if (connected.containsKey(h.agentId)) {
                hosts.put(h.agentId, new Host(h.agentId, connected.get(h.agentId).host, new ArrayList<>()));
                for (String a : h.addresses) {
                    agentByAddress.putIfAbsent(a, h.agentId);
                }
            }
        }
        if (hosts.isEmpty()) {
            return List.of(); // no connected agent sends its inventory: nothing to join, no need to read the checks
        }
        for (ListeningSocketEntity s : listening.allOpen()) {
            Host h = hosts.get(s.agentId);
            if (h != null) {
                h.sockets.add(s);
            }
        }
        List<Finding> found = new ArrayList<>();
        Set<String> covered = new HashSet<>(); // "agent|proto|port" some check probes
        for (CheckView c : checks.allInCatalog()) {
            Optional<Target> target = target(c, hosts, agentByAddress);
            if (target.isEmpty()) {
                continue;
            }
            Host h = target.get().host;
            covered.add(h.agent + "|" + c.proto() + "|" + c.port());
            if (c.state() == null || c.expect() != Expectation.OPEN || Boolean.TRUE.equals(c.healthy())) {
                continue;
            }
            List<ListeningSocketEntity> bound = h.sockets.stream()
                    .filter(s -> s.proto == c.proto() && s.port == c.port()).toList();
            boolean remote = !c.agentId().equals(h.agent) && !target.get().loopback;
            if (bound.isEmpty()) {
                found.add(finding(FindingKind.DECLARED_BUT_NOT_LISTENING, h, c,
                        h.agent + "'s host has nothing bound to " + c.proto().id() + " port " + c.port()
                                + ", and " + c.agentId() + "'s check \"" + c.name() + "\" finds it " + state(c)
                                + ": the service is down, not the network", bound));
            } else if (remote && bound.stream().allMatch(s -> s.scope() == BindScope.LOOPBACK)) {
                found.add(finding(FindingKind.BOUND_TO_LOOPBACK_ONLY, h, c,
                        h.agent + "'s host listens on " + c.proto().id() + " port " + c.port()
                                + " on loopback only, so " + c.agentId() + "'s check \"" + c.name() + "\" finds it "
                                + state(c) + ": the service runs but is not bound to an address others reach", bound));
            } else if (remote && blocked(c) && bound.stream().anyMatch(s -> reachableAt(s, target.get().address))) {
                found.add(finding(FindingKind.LISTENING_BUT_UNREACHABLE, h, c,
                        h.agent + "'s host listens on " + c.proto().id() + " port " + c.port() + ", but "
                                + c.agentId() + "'s check \"" + c.name() + "\" finds it " + state(c)
                                + ": something between " + c.agentId() + " and " + h.agent + " (a firewall) is in the way",
                        bound.stream().filter(s -> reachableAt(s, target.get().address)).toList()));
            }
        }
        for (Host h : hosts.values()) {
            Map<String, List<ListeningSocketEntity>> byPort = new java.util.TreeMap<>();
            for (ListeningSocketEntity s : h.sockets) {
                if (s.scope() != BindScope.LOOPBACK && !covered.contains(h.agent + "|" + s.proto + "|" + s.port)) {
                    byPort.computeIfAbsent(s.proto + "|" + s.port, k -> new ArrayList<>()).add(s);
                }
            }
            for (List<ListeningSocketEntity> sockets : byPort.values()) {
                ListeningSocketEntity s = sockets.get(0);
                found.add(new Finding(FindingKind.REACHABLE_BUT_UNDECLARED.id(), h.agent, s.proto.id(), s.port,
                        h.agent + "'s host listens on " + s.proto.id() + " port " + s.port
                                + " on an address others may reach, and no check of any agent covers it: declare a"
                                + " check, or one with expect: closed if it should not be reachable",
                        sockets.stream().map(FindingService::evidence).toList()));
            }
        }
        return found.stream()
                .filter(f -> kind == null || f.kind().equals(kind.id()))
                .filter(f -> agent == null || f.agent().equals(agent))
                .sorted(Comparator.comparing(Finding::agent).thenComparing(Finding::proto).thenComparingInt(Finding::port)
                        .thenComparing(Finding::kind))
                .toList();
    }

    private record Host(String agent, String hostName, List<ListeningSocketEntity> sockets) {}

    /** The host a check probes, and the address it probed (null when only its host name is known). */
    private record Target(Host host, InetAddress address, boolean loopback) {}

    private static Optional<Target> target(CheckView c, Map<String, Host> hosts, Map<String, String> agentByAddress) {
        Optional<InetAddress> probed = IpText.literal(c.address()).or(() -> IpText.literal(c.target()));
        if (probed.isPresent()) {
            InetAddress a = probed.get();
            if (a.isLoopbackAddress()) {
                return Optional.ofNullable(hosts.get(c.agentId())).map(h -> new Target(h, a, true));
            }
            return Optional.ofNullable(agentByAddress.get(IpText.of(a))).map(hosts::get).map(h -> new Target(h, a, false));
        }
        return hosts.values().stream().filter(h -> h.hostName.equalsIgnoreCase(c.target())).findFirst()
                .map(h -> new Target(h, null, false));
    }

    /** Refused or dropped: the states a firewall gives (a UDP port's silence, open|filtered, is not one). */
    private static boolean blocked(CheckView c) {
        return c.state() == PortState.FILTERED || c.state() == PortState.CLOSED;
    }

    /** A socket that takes connections to {@code probed}: bound to every address, or to that one. */
    private static boolean reachableAt(ListeningSocketEntity s, InetAddress probed) {
        BindScope scope = s.scope();
        return scope == BindScope.WILDCARD
                || scope == BindScope.ADDRESS && probed != null && IpText.of(s.inet()).equals(IpText.of(probed));
    }

    private static String state(CheckView c) {
        return c.state().name().toLowerCase(Locale.ROOT).replace('_', '|') + " (" + c.reason() + ")";
    }

    private static Finding finding(FindingKind kind, Host h, CheckView c, String summary, List<ListeningSocketEntity> bound) {
        List<Finding.Evidence> evidence = new ArrayList<>();
        evidence.add(new Finding.Evidence(c.agentId(), "check", "check \"" + c.name() + "\" of " + c.target()
                + (c.address() == null || c.address().equals(c.target()) ? "" : " (" + c.address() + ")") + " "
                + c.proto().id() + "/" + c.port() + " is " + state(c), c.stateSince(), c.id()));
        if (bound.isEmpty()) {
            evidence.add(new Finding.Evidence(h.agent, "inventory", "nothing bound to " + c.proto().id() + " port " + c.port(),
                    null, null));
        }
        bound.forEach(s -> evidence.add(evidence(s)));
        return new Finding(kind.id(), h.agent, c.proto().id(), c.port(), summary, evidence);
    }

    private static Finding.Evidence evidence(ListeningSocketEntity s) {
        return new Finding.Evidence(s.agentId, "inventory", "listens on " + s.proto.id() + " " + IpText.withPort(s.address, s.port)
                + (s.pid == null ? "" : " (pid " + s.pid + " " + s.command + ")"), s.appearedAt, null);
    }
}
