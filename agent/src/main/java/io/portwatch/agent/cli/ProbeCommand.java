package io.portwatch.agent.cli;

import io.portwatch.agent.AgentSettings;
import io.portwatch.agent.ProbeSetup;
import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.config.ConfigLoad;
import io.portwatch.agent.probe.ProbeEngine;
import io.portwatch.agent.probe.ProbeRunner;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Health;
import io.portwatch.core.check.Protocol;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * {@code agent probe}: probes ports once and prints what it found, the operator's daily tool. It
 * runs the agent's own engine and runner, without Quarkus, so it starts in well under a second, and
 * with the agent's settings ({@link CommandSettings}: trust store, probe limits, instance limit),
 * so it reports exactly what a running agent would.
 */
final class ProbeCommand {

    static final int HEALTHY = 0;
    static final int UNHEALTHY = 1;
    static final int USAGE = 2;
    /** Nothing unhealthy, but at least one answer not known (as the Nagios plugins' UNKNOWN). */
    static final int UNKNOWN = 3;

    /** Check name of instances given on the command line rather than in a check file. */
    static final String COMMAND_LINE_CHECK = "cli";
    /** Unused by a one-shot run, but a check instance has one. */
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    /** The JDK resolver blocks: a few threads let several host names resolve at once. */
    private static final int RESOLVER_THREADS = 4;

    private ProbeCommand() {}

    /** With the settings the running agent would read ({@link CommandSettings}). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, CommandSettings::read, out, err);
    }

    static int run(String[] args, AgentSettings settings, PrintStream out, PrintStream err) {
        return run(args, () -> settings, out, err);
    }

    /** The settings are read after the command line: --help and usage errors need none. */
    private static int run(String[] args, Supplier<AgentSettings> readSettings, PrintStream out, PrintStream err) {
        ProbeCommandLine options;
        try {
            options = ProbeCommandLine.parse(args);
        } catch (ProbeCommandLine.UsageException e) {
            return usage(e, err);
        }
        if (options.help()) {
            out.println(ProbeCommandLine.USAGE);
            return HEALTHY;
        }
        AgentSettings settings;
        try {
            settings = readSettings.get();
        } catch (RuntimeException e) { // a setting that does not convert, say
            err.println("agent probe: " + e.getMessage());
            return USAGE;
        }
        List<CheckInstance> instances;
        try {
            instances = options.checkDir().isPresent()
                    ? fromDirectory(options.checkDir().get(), options.hosts(), settings, err)
                    : fromCommandLine(options, settings.maxInstancesPerCheck());
        } catch (ProbeCommandLine.UsageException e) {
            return usage(e, err);
        }
        if (instances == null) {
            return USAGE; // the check directory's errors are printed
        }
        SSLContext tls;
        try {
            tls = ProbeSetup.tls(settings.probe());
        } catch (IllegalStateException e) { // the configured trust store cannot be read
            err.println("agent probe: " + e.getMessage());
            return USAGE;
        }
        List<ProbeOutcome> outcomes = probeAll(instances, settings.probe(), tls);
        options.format().print(outcomes, out);
        out.flush();
        return exitCode(outcomes);
    }

    /** Unhealthy wins over unknown: a script must learn of the failure it can act on. */
    static int exitCode(List<ProbeOutcome> outcomes) {
        if (outcomes.stream().anyMatch(o -> o.health() == Health.UNHEALTHY)) {
            return UNHEALTHY;
        }
        return outcomes.stream().anyMatch(o -> o.health() == Health.UNKNOWN) ? UNKNOWN : HEALTHY;
    }

    private static int usage(ProbeCommandLine.UsageException e, PrintStream err) {
        err.println("agent probe: " + e.getMessage());
        err.println("(agent probe --help for usage)");
        return USAGE;
    }

    /**
     * The command line's instances. A one-shot run still caps its size, as a check does, at
     * {@code maxProbes} (portwatch.max-instances-per-check): a typo must not start a scan of 65,536 ports.
     */
    static List<CheckInstance> fromCommandLine(ProbeCommandLine options, int maxProbes)
            throws ProbeCommandLine.UsageException {
        long probes = (long) options.hosts().size() * (options.tcp().cardinality() + options.udp().cardinality());
        if (probes > maxProbes) {
            throw new ProbeCommandLine.UsageException(options.hosts().size() + " hosts x "
                    + (options.tcp().cardinality() + options.udp().cardinality()) + " ports = " + probes
                    + " probes, more than the limit of " + maxProbes);
        }
        Duration timeout = options.timeout().orElse(ProbeCommandLine.DEFAULT_TIMEOUT);
        Expectation expect = options.expect().orElse(Expectation.OPEN);
        List<CheckInstance> instances = new ArrayList<>();
        for (String host : options.hosts()) {
            addPorts(instances, host, Protocol.TCP, options.tcp(), expect, timeout);
            addPorts(instances, host, Protocol.UDP, options.udp(), expect, timeout);
        }
        return instances;
    }

    private static void addPorts(List<CheckInstance> into, String host, Protocol protocol, BitSet ports,
            Expectation expect, Duration timeout) {
        for (int port = ports.nextSetBit(0); port >= 0; port = ports.nextSetBit(port + 1)) {
            into.add(new CheckInstance(COMMAND_LINE_CHECK, host, protocol, port, expect,
                    INTERVAL.compareTo(timeout) >= 0 ? INTERVAL : timeout, timeout, Map.of()));
        }
    }

    /** The directory's instances, kept to {@code hosts} when given; null after printing config errors. */
    static List<CheckInstance> fromDirectory(Path dir, List<String> hosts, AgentSettings settings, PrintStream err)
            throws ProbeCommandLine.UsageException {
        ConfigLoad load = ProbeSetup.loader(settings).load(dir);
        if (load instanceof ConfigLoad.Invalid invalid) {
            invalid.errors().forEach(err::println);
            int n = invalid.errors().size();
            err.printf("%s: %d error%s%n", dir, n, n == 1 ? "" : "s");
            return null;
        }
        List<CheckInstance> all = ((ConfigLoad.Loaded) load).config().instances();
        if (hosts.isEmpty()) {
            return all;
        }
        Set<String> targets = new HashSet<>();
        all.forEach(ci -> targets.add(ci.target()));
        List<String> unknown = hosts.stream().filter(h -> !targets.contains(h)).toList();
        if (!unknown.isEmpty()) {
            throw new ProbeCommandLine.UsageException("not a target of any check in " + dir + ": " + String.join(", ", unknown));
        }
        return all.stream().filter(ci -> hosts.contains(ci.target())).toList();
    }

    /**
     * A probe's latency runs from its socket's creation, and in a fresh JVM the first channels
     * load and initialise the JDK's socket classes: 5-20 ms that the first probes would report as
     * latency of the port. Opening (never connecting) one channel of each kind first sends nothing.
     */
    private static void loadSocketClasses() {
        try (SocketChannel tcp = SocketChannel.open(); DatagramChannel udp = DatagramChannel.open()) {
            tcp.configureBlocking(false);
            udp.configureBlocking(false);
        } catch (IOException e) {
            // The probes will meet the same problem and report it as their result.
        }
    }

    /** Every instance at once: the engine bounds what runs in flight and queues the rest. */
    static List<ProbeOutcome> probeAll(List<CheckInstance> instances, AgentSettings.Probe probe, SSLContext tls) {
        loadSocketClasses();
        ProbeSetup.loadTrustFor(instances, tls);
        ExecutorService resolver = Executors.newFixedThreadPool(RESOLVER_THREADS, r -> {
            Thread t = new Thread(r, "dns-resolver");
            t.setDaemon(true);
            return t;
        });
        try (ProbeEngine engine = new ProbeEngine(ProbeSetup.limits(probe), tls, ForkJoinPool.commonPool())) {
            Clock clock = Clock.systemUTC();
            ProbeRunner runner = new ProbeRunner(engine, resolver, clock, ProbeSetup.dnsCache(probe, clock));
            List<CompletableFuture<ProbeOutcome>> pending = instances.stream()
                    .map(ci -> runner.run(ci).thenApply(result -> new ProbeOutcome(ci, result)))
                    .toList();
            return pending.stream().map(CompletableFuture::join).sorted(ProbeOutcome.ORDER).toList();
        } finally {
            resolver.shutdownNow();
        }
    }
}
