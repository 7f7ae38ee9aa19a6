package io.portwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./portwatch status|checks|uptime|alerts|silence|rules}: the collector's REST API for people
 * and scripts. The options below are accepted before or after the command; each has an environment
 * variable, read from the map given to {@link #run}, so that tests need not change the process's.
 */
@Command(name = "portwatch", mixinStandardHelpOptions = true, versionProvider = PortwatchCli.Version.class,
        usageHelpAutoWidth = true,
        description = "A client of the Portwatch collector's REST API. Exit codes: 0 done (status: all healthy),"
                + " 1 status found something unhealthy, firing or down, 2 usage error,"
                + " 3 the collector refused the request (its problem detail is shown),"
                + " 4 the collector could not be reached or did not answer as the API.",
        subcommands = {StatusCommand.class, ChecksCommand.class, UptimeCommand.class, AlertsCommand.class,
                SilenceCommand.class, RulesCommand.class, FindingsCommand.class})
public final class PortwatchCli implements Runnable {

    static final String DEFAULT_COLLECTOR = "http://localhost:8080";
    static final String COLLECTOR_ENV = "PORTWATCH_COLLECTOR_URL";
    static final String API_KEY_ENV = "PORTWATCH_API_KEY";

    enum Output { table, json }

    @Option(names = "--collector", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "the collector's base URL (env " + COLLECTOR_ENV + ", default " + DEFAULT_COLLECTOR + ")")
    String collector;

    @Option(names = "--api-key", paramLabel = "KEY", scope = ScopeType.INHERIT,
            description = "an API key, sent as a bearer token (env " + API_KEY_ENV + "; prefer the variable:"
                    + " a command line is visible to other users of the host)")
    String apiKey;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "table (default) or json (what the API returned)")
    Output output = Output.table;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;
    private final Clock clock;
    private ApiClient client;

    PortwatchCli(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command line; returns its exit code ({@link Exit}). */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new PortwatchCli(env, Clock.systemUTC()));
        cl.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ApiException api) {
                err.println("portwatch: " + api.getMessage() + hint(api.status()));
                return Exit.API_ERROR;
            }
            if (e instanceof UnreachableException u) {
                err.println("portwatch: " + u.getMessage());
                return Exit.UNREACHABLE;
            }
            throw e;
        });
        // The message and where to read more, not the whole usage: the error stays on the screen.
        cl.setParameterExceptionHandler((e, parsed) -> {
            CommandLine where = e.getCommandLine();
            err.println("portwatch: " + e.getMessage());
            err.println("usage: " + where.getCommandSpec().qualifiedName() + " --help");
            return Exit.USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (give an API key: " + API_KEY_ENV + " or --api-key)";
            case 403 -> " (the API key's role is too small for this)";
            default -> "";
        };
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: status, checks, uptime, alerts, silence or rules");
    }

    /** The API at {@code --collector} (or its variable, or the default), with the key if one is given. */
    ApiClient client() {
        if (client == null) {
            String url = collector != null ? collector : env.getOrDefault(COLLECTOR_ENV, DEFAULT_COLLECTOR);
            String key = apiKey != null ? apiKey : env.get(API_KEY_ENV);
            client = new ApiClient(collectorUri(url), Optional.ofNullable(key).filter(k -> !k.isBlank()));
        }
        return client;
    }

    private URI collectorUri(String url) {
        try {
            URI uri = new URI(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "expected http:// or https://, a host, an optional port and path");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--collector / " + COLLECTOR_ENV + " \""
                    + Text.bound(url, 200) + "\" is not a collector URL such as " + DEFAULT_COLLECTOR
                    + ": expected http:// or https://, a host, an optional port and path");
        }
    }

    Clock clock() {
        return clock;
    }

    boolean json() {
        return output == Output.json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a JSON document as the API returned it (or the CLI composed it), indented. */
    void printJson(JsonNode node) {
        try {
            out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out().flush();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Jackson cannot write a tree it read: " + e, e);
        }
    }

    /** The user behind this command line for a silence's createdBy: $USER, or "cli". */
    String user() {
        String user = env.get("USER");
        return user == null || user.isBlank() ? "cli" : user;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PortwatchCli.class.getPackage().getImplementationVersion();
            return new String[] {"portwatch cli " + (v == null ? "(development build)" : v)};
        }
    }
}
