package io.portwatch.agent.cli;

import io.portwatch.agent.config.CommandLineValues;
import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@code agent probe}, parsed by hand (no Quarkus, no framework: the command
 * must start fast). Options may come before, between or after the hosts; {@code --name=value}
 * works as well as {@code --name value}; {@code --} ends the options. Values are read with the
 * check-file rules ({@link CommandLineValues}), so {@code --tcp 70000} fails as {@code tcp: [70000]}
 * does.
 */
record ProbeCommandLine(
        BitSet tcp,
        BitSet udp,
        Optional<Path> checkDir,
        Optional<Duration> timeout,
        Optional<Expectation> expect,
        ResultFormatter format,
        List<String> hosts,
        boolean help) {

    /** As a check file's built-in default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    static final String USAGE = """
            usage: agent probe [--tcp LIST] [--udp LIST] [--timeout DUR] [--expect open|closed] [--format table|json|tsv] HOST...
                   agent probe -f DIR [--format table|json|tsv] [HOST...]

            Probes every (host, port) once, concurrently, and prints proto, port, state, reason,
            latency_ms and the address probed. Exit 0 when every result is healthy, 1 when one is
            not, 2 on a usage, check-file or settings error. Reads the agent's settings (trust store,
            probe limits, max-instances-per-check) as the running agent does.

              --tcp LIST       TCP ports: "22,80,8000-8010" (the rules of a check file's tcp: list)
              --udp LIST       UDP ports, likewise
              -f, --file DIR   run the checks of a check directory once; HOSTs, if given, keep only
                               those targets
              --timeout DUR    per probe, e.g. 500ms, 2s (default 2s)
              --expect STATE   open (default) or closed (CLOSED and FILTERED are healthy)
              --format FORMAT  table (default), json (an array of objects) or tsv (with a header line)""";

    /** A command line that cannot run; the message names the option and the rule. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static ProbeCommandLine parse(String... args) throws UsageException {
        Builder b = new Builder();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                b.host(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                b.help = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (!isOption(name)) {
                throw new UsageException("unknown option \"" + arg + "\"");
            }
            if (name.length() == arg.length() && i + 1 == args.length) {
                throw new UsageException(name + " needs a value");
            }
            b.option(name, name.length() < arg.length() ? arg.substring(eq + 1) : args[++i]);
        }
        return b.build();
    }

    private static boolean isOption(String name) {
        return switch (name) {
            case "--tcp", "--udp", "-f", "--file", "--timeout", "--expect", "--format" -> true;
            default -> false;
        };
    }

    private static final class Builder {
        final BitSet tcp = new BitSet();
        final BitSet udp = new BitSet();
        final Set<String> hosts = new LinkedHashSet<>();
        boolean portsGiven;
        Path checkDir;
        Duration timeout;
        Expectation expect;
        ResultFormatter format = ResultFormatter.TABLE;
        boolean help;

        void host(String host) throws UsageException {
            hosts.add(valid("HOST", CommandLineValues.target(host)));
        }

        void option(String name, String value) throws UsageException {
            switch (name) {
                case "--tcp" -> ports(tcp, Protocol.TCP, name, value);
                case "--udp" -> ports(udp, Protocol.UDP, name, value);
                case "-f", "--file" -> {
                    if (checkDir != null) {
                        throw new UsageException(name + " given twice");
                    }
                    checkDir = Path.of(value);
                }
                case "--timeout" -> timeout = valid(name, CommandLineValues.timeout(value));
                case "--expect" -> expect = expectation(value);
                case "--format" -> format = ResultFormatter.named(value)
                        .orElseThrow(() -> new UsageException(
                                "--format: unknown format \"" + value + "\" (allowed: table, json, tsv)"));
                default -> throw new IllegalStateException(name); // isOption() and this switch disagree
            }
        }

        private void ports(BitSet into, Protocol protocol, String option, String list) throws UsageException {
            into.or(valid(list.isBlank() ? option : option + " " + list, CommandLineValues.ports(list, protocol)));
            portsGiven = true;
        }

        private static Expectation expectation(String value) throws UsageException {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "open" -> Expectation.OPEN;
                case "closed" -> Expectation.CLOSED;
                default -> throw new UsageException("--expect: expected open or closed, not \"" + value + "\"");
            };
        }

        ProbeCommandLine build() throws UsageException {
            if (!help) {
                check();
            }
            return new ProbeCommandLine(tcp, udp, Optional.ofNullable(checkDir), Optional.ofNullable(timeout),
                    Optional.ofNullable(expect), format, List.copyOf(hosts), help);
        }

        private void check() throws UsageException {
            if (checkDir != null) {
                // The check files say which ports, how long and what to expect: mixing would be ambiguous.
                List<String> conflicting = new ArrayList<>();
                if (portsGiven) conflicting.add("--tcp/--udp");
                if (timeout != null) conflicting.add("--timeout");
                if (expect != null) conflicting.add("--expect");
                if (!conflicting.isEmpty()) {
                    throw new UsageException(String.join(", ", conflicting)
                            + " cannot be combined with -f (the check files set ports, timeouts and expectations)");
                }
                return;
            }
            if (hosts.isEmpty()) {
                throw new UsageException("no HOST given");
            }
            if (!portsGiven) {
                throw new UsageException("no ports given: use --tcp LIST and/or --udp LIST, or -f DIR");
            }
        }

        private static <T> T valid(String what, CommandLineValues.Parsed<T> parsed) throws UsageException {
            if (!parsed.isValid()) {
                throw new UsageException(what + ": " + String.join("; ", parsed.errors()));
            }
            return parsed.value();
        }
    }
}
