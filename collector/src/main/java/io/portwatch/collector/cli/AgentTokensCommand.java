package io.portwatch.collector.cli;

import io.portwatch.collector.CommandMode;
import io.portwatch.collector.input.InputLimits;
import io.portwatch.collector.security.AgentToken;
import io.portwatch.collector.security.AgentTokenService;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** {@code agent-tokens create AGENT | list AGENT | revoke AGENT ID}: per-agent ingest tokens from the host. */
@ApplicationScoped
public class AgentTokensCommand implements CommandGroup {

    static final String USAGE = """
                agent-tokens create AGENT        issue a token bound to agent id AGENT; its secret is printed once
                agent-tokens list AGENT          the agent's tokens: id, hint, creation, revocation
                agent-tokens revoke AGENT ID     revoke a token: its next streams are refused""";

    private final AgentTokenService tokens;
    private final InputLimits limits;

    AgentTokensCommand(AgentTokenService tokens, InputLimits limits) {
        this.tokens = tokens;
        this.limits = limits;
    }

    @Override
    public String name() {
        return "agent-tokens";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        String verb = args.isEmpty() ? "" : args.get(0);
        try {
            CommandLine line = CommandLine.parse(args.subList(Math.min(1, args.size()), args.size()), Set.of());
            return switch (verb) {
                case "create" -> create(agent(line, 1, "create AGENT"), out);
                case "list" -> list(agent(line, 1, "list AGENT"), out);
                case "revoke" -> revoke(agent(line, 2, "revoke AGENT ID"), id(line.positional().get(1)), out, err);
                default -> throw new CommandLine.UsageException(verb.isEmpty() ? "agent-tokens: which command?"
                        : "agent-tokens: unknown command \"" + verb + "\"");
            };
        } catch (CommandLine.UsageException e) {
            err.println(e.getMessage());
            err.println("usage: " + USAGE.replace("\n", "\n       "));
            return CollectorCommands.USAGE;
        }
    }

    /** The agent id, first of exactly {@code count} positional arguments, checked as ingest checks it. */
    private String agent(CommandLine line, int count, String form) throws CommandLine.UsageException {
        if (line.positional().size() != count) {
            throw new CommandLine.UsageException("agent-tokens " + form + ": expected " + count + " argument"
                    + (count == 1 ? "" : "s") + ", got " + line.positional().size());
        }
        String agent = line.positional().get(0);
        String rule = limits.name("agent", agent);
        if (rule != null) {
            throw new CommandLine.UsageException("agent-tokens: " + rule);
        }
        return agent;
    }

    private static long id(String raw) throws CommandLine.UsageException {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new CommandLine.UsageException("agent-tokens revoke: \"" + raw + "\" is not a token id");
        }
    }

    private int create(String agent, PrintStream out) {
        AgentTokenService.Issued issued = tokens.create(agent, CommandMode.operator());
        AgentToken t = issued.token();
        out.printf("created token %d for agent %s:%n", t.id(), agent);
        out.println(issued.secret());
        out.println("This secret is shown once, now: give it to the agent as PORTWATCH_COLLECTOR_TOKEN "
                + "(the collector keeps only its hash).");
        return 0;
    }

    private int list(String agent, PrintStream out) {
        out.printf("%-6s %-13s %-21s %-24s %s%n", "ID", "HINT", "CREATED", "BY", "REVOKED");
        for (AgentToken t : tokens.ofAgent(agent)) {
            out.printf("%-6d %-13s %-21s %-24s %s%n", t.id(), t.hint(), seconds(t.createdAt()),
                    t.createdBy() == null ? "-" : t.createdBy(), seconds(t.revokedAt()));
        }
        return 0;
    }

    private int revoke(String agent, long id, PrintStream out, PrintStream err) {
        var refusal = tokens.revoke(agent, id, CommandMode.operator());
        if (refusal.isPresent()) {
            err.println(switch (refusal.get()) {
                case NOT_FOUND -> "agent " + agent + " has no token with id " + id;
                case ALREADY_REVOKED -> "token " + id + " of agent " + agent + " is already revoked";
            });
            return 1;
        }
        out.println("revoked token " + id + " of agent " + agent
                + " (new streams are refused now; a stream already open on a running collector ends at its next reconnect)");
        return 0;
    }

    private static String seconds(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
