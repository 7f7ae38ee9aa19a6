package io.portwatch.agent.config;

import io.portwatch.agent.probe.AddressFamily;
import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.UdpPayload;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One valid {@code checks:} entry with the file's defaults applied: what it expands to is every
 * (target, protocol, port) combination.
 */
record CheckSpec(
        String name,
        List<String> targets,
        BitSet tcp,
        BitSet udp,
        Expectation expect,
        Duration interval,
        Duration timeout,
        Map<String, String> labels,
        AddressFamily family,
        ProbeSpec.Tcp tcpProbe,
        UdpProbe udpProbe) {

    /**
     * The UDP probe of a check; {@code payload} null means the default of each port
     * ({@link UdpPayload#defaultFor}), {@code community} null the payload's own.
     */
    record UdpProbe(UdpPayload payload, String community, int retries) {

        ProbeSpec.Udp forPort(int port) {
            UdpPayload effective = payload != null ? payload : UdpPayload.defaultFor(port);
            if (effective instanceof UdpPayload.Snmp && community != null) {
                effective = new UdpPayload.Snmp(community);
            }
            return new ProbeSpec.Udp(effective, retries);
        }
    }

    CheckSpec {
        targets = List.copyOf(targets);
        tcp = (BitSet) tcp.clone();
        udp = (BitSet) udp.clone();
        labels = Map.copyOf(labels);
    }

    int instanceCount() {
        return targets.size() * portCount();
    }

    int portCount() {
        return tcp.cardinality() + udp.cardinality();
    }

    List<CheckInstance> instances() {
        List<CheckInstance> instances = new ArrayList<>(instanceCount());
        for (String target : targets) {
            tcp.stream().forEach(port -> instances.add(instance(target, Protocol.TCP, port, tcpProbe)));
            udp.stream().forEach(port -> instances.add(instance(target, Protocol.UDP, port, udpProbe.forPort(port))));
        }
        return instances;
    }

    private CheckInstance instance(String target, Protocol protocol, int port, ProbeSpec probe) {
        return new CheckInstance(name, target, protocol, port, expect, interval, timeout, labels, family, probe);
    }
}
