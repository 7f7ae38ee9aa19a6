package io.portwatch.agent.config;

import io.portwatch.agent.probe.AddressFamily;
import io.portwatch.agent.probe.ProbeSpec;
import io.portwatch.agent.probe.ProbeTarget;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One (check name, target, protocol, port): the unit that is scheduled, probed and reported.
 * {@link #key()} is stable across restarts and reloads.
 */
public record CheckInstance(
        String checkName,
        String target,
        Protocol protocol,
        int port,
        Expectation expect,
        Duration interval,
        Duration timeout,
        Map<String, String> labels,
        AddressFamily family,
        ProbeSpec probe) implements ProbeTarget {

    public CheckInstance {
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        family = family == null ? AddressFamily.ANY : family;
        probe = probe == null ? ProbeSpec.defaultFor(protocol, port) : probe;
        boolean matches = switch (protocol) {
            case TCP -> probe instanceof ProbeSpec.Tcp;
            case UDP -> probe instanceof ProbeSpec.Udp;
        };
        if (!matches) {
            throw new IllegalArgumentException(protocol + " check instance with " + probe);
        }
    }

    /** An instance with the default probe settings of its protocol and port, any address family. */
    public CheckInstance(String checkName, String target, Protocol protocol, int port, Expectation expect,
            Duration interval, Duration timeout, Map<String, String> labels) {
        this(checkName, target, protocol, port, expect, interval, timeout, labels, AddressFamily.ANY, null);
    }

    /** {@code <check name>|<target>|<proto>|<port>}, e.g. {@code web|127.0.0.1|tcp|80}. */
    public String key() {
        return checkName + "|" + target + "|" + protocol.id() + "|" + port;
    }
}
