package io.portwatch.agent.cli;

import io.portwatch.agent.AgentSettings;
import io.portwatch.agent.ProbeSetup;
import io.portwatch.agent.config.CheckConfig;
import io.portwatch.agent.config.ConfigLoad;
import io.portwatch.agent.config.IcmpDemand;
import io.portwatch.agent.inventory.ListeningInventory;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code agent [run]} runs the agent. The tools start no Quarkus, so they answer in well under a
 * second, but read the agent's settings as it does ({@link CommandSettings}): {@code agent check-config DIR} validates a check directory (exit 0 valid, 1 invalid,
 * 2 usage; a valid directory may still print warnings, such as a host's ICMP budget), {@code agent probe ...} probes once (exit 0 healthy, 1 not, 2 usage or config error).
 */
@QuarkusMain
public class AgentMain {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    public static void main(String... args) {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> Quarkus.run(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
            case "check-config" -> System.exit(checkConfig(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            case "probe" -> System.exit(ProbeCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            case "listening" -> System.exit(ListeningCommand.run(Arrays.copyOfRange(args, 1, args.length),
                    ListeningInventory.ofHost(), System.out, System.err));
            case "demo-targets" -> System.exit(demoTargets());
            case "help", "--help", "-h" -> {
                usage(System.out);
                System.exit(OK);
            }
            default -> {
                System.err.println("unknown command \"" + command + "\"");
                usage(System.err);
                System.exit(USAGE);
            }
        }
    }

    static int checkConfig(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: agent check-config DIR");
            return USAGE;
        }
        AgentSettings settings;
        try {
            settings = CommandSettings.read();
        } catch (RuntimeException e) { // a setting that does not convert, say
            err.println("agent check-config: " + e.getMessage());
            return USAGE;
        }
        ConfigLoad load = ProbeSetup.loader(settings).load(Path.of(args[0]));
        if (load instanceof ConfigLoad.Invalid invalid) {
            invalid.errors().forEach(err::println);
            err.printf("%s: %s%n", args[0], count(invalid.errors().size(), "error"));
            return INVALID;
        }
        CheckConfig c = ((ConfigLoad.Loaded) load).config();
        out.printf("%s: OK: %s, %s, %s (config %s)%n", args[0], count(c.files(), "file"),
                count(c.checks(), "check"), count(c.instances().size(), "check instance"), c.hash().substring(0, 12));
        // Valid, but a host may not answer for all its closed UDP ports: a warning, not an error.
        for (IcmpDemand.Host host : IcmpDemand.udpHosts(c.instances())) {
            if (host.exceeds(IcmpDemand.DEFAULT_GRANT_PER_SECOND)) {
                out.println("WARNING: " + IcmpDemand.warning(host, IcmpDemand.DEFAULT_GRANT_PER_SECOND, false));
            }
        }
        return OK;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Base port of the demo targets; examples/checks.d watches base+1 .. base+5. */
    static final int DEMO_BASE_PORT = 17000;

    private static int demoTargets() {
        try {
            return DemoTargets.run(DEMO_BASE_PORT);
        } catch (Exception e) {
            System.err.println("cannot open the demo ports " + (DEMO_BASE_PORT + 1) + "-" + (DEMO_BASE_PORT + 5)
                    + " on 127.0.0.1: " + e.getMessage());
            return INVALID;
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: agent [run]               run the agent (settings: application.properties, PORTWATCH_* env vars)
                       agent check-config DIR    validate the check files in DIR; exit 0 when valid, 1 when not
                       agent probe [--tcp LIST] [--udp LIST] [-f DIR] [--format table|json|tsv] HOST...
                                                 probe once and print the results; exit 0 when all are healthy
                                                 (agent probe --help lists every option)
                       agent listening [--format table|json]
                                                 this host's listening TCP and bound UDP sockets, like ss -ltnup
                       agent demo-targets        open the demo's loopback ports 17001-17005 until killed""");
    }
}
