package io.portwatch.collector.cli;

import io.portwatch.collector.CommandMode;
import io.portwatch.collector.security.ApiKey;
import io.portwatch.collector.security.ApiKeyService;
import io.portwatch.collector.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** {@code keys create --role ROLE [--name NAME] | list | revoke ID}: API keys from the host, e.g. the first admin key. */
@ApplicationScoped
public class KeysCommand implements CommandGroup {

    private final ApiKeyService keys;

    KeysCommand(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "keys";
    }

    static final String USAGE = """
                keys create --role viewer|operator|admin [--name NAME]   issue an API key; its secret is printed once
                keys list                                                every key: id, name, role, hint, use, revocation
                keys revoke ID                                           revoke a key (even the last admin key)""";

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        String verb = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        try {
            return switch (verb) {
                case "create" -> create(CommandLine.parse(rest, Set.of("role", "name")), out);
                case "list" -> list(CommandLine.parse(rest, Set.of()), out);
                case "revoke" -> revoke(CommandLine.parse(rest, Set.of()), out, err);
                default -> throw new CommandLine.UsageException(verb.isEmpty() ? "keys: which command?"
                        : "keys: unknown command \"" + verb + "\"");
            };
        } catch (CommandLine.UsageException e) {
            err.println(e.getMessage());
            err.println("usage: " + USAGE.replace("\n", "\n       "));
            return CollectorCommands.USAGE;
        }
    }

    private int create(CommandLine line, PrintStream out) throws CommandLine.UsageException {
        if (!line.positional().isEmpty()) {
            throw new CommandLine.UsageException("keys create takes no positional argument, got \"" + line.positional().get(0) + "\"");
        }
        String roleName = line.options().get("role");
        if (roleName == null) {
            throw new CommandLine.UsageException("keys create: --role is required (viewer, operator or admin)");
        }
        Role role = Role.parse(roleName).orElseThrow(() -> new CommandLine.UsageException(
                "keys create: --role \"" + roleName + "\" is not viewer, operator or admin"));
        String name = line.options().getOrDefault("name", role.wireName() + " key").strip();
        if (name.isEmpty() || name.length() > 128) {
            throw new CommandLine.UsageException("keys create: --name must have 1 to 128 characters");
        }
        var issued = keys.create(name, role, CommandMode.operator());
        ApiKey k = issued.key();
        out.printf("created API key %d \"%s\" with role %s:%n", k.id(), k.name(), k.role().wireName());
        out.println(issued.secret());
        out.println("This secret is shown once, now: store it (the collector keeps only its hash). "
                + "Send it as Authorization: Bearer <secret>.");
        return 0;
    }

    private int list(CommandLine line, PrintStream out) throws CommandLine.UsageException {
        if (!line.positional().isEmpty()) {
            throw new CommandLine.UsageException("keys list takes no argument");
        }
        out.printf("%-6s %-24s %-9s %-13s %-21s %-21s %s%n", "ID", "NAME", "ROLE", "HINT", "CREATED", "LAST USED", "REVOKED");
        for (ApiKey k : keys.list()) {
            out.printf("%-6d %-24s %-9s %-13s %-21s %-21s %s%n", k.id(), k.name(), k.role().wireName(), k.hint(),
                    seconds(k.createdAt()), seconds(k.lastUsedAt()), seconds(k.revokedAt()));
        }
        return 0;
    }

    private static String seconds(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private int revoke(CommandLine line, PrintStream out, PrintStream err) throws CommandLine.UsageException {
        if (line.positional().size() != 1) {
            throw new CommandLine.UsageException("keys revoke takes one key id");
        }
        long id;
        try {
            id = Long.parseLong(line.positional().get(0));
        } catch (NumberFormatException e) {
            throw new CommandLine.UsageException("keys revoke: \"" + line.positional().get(0) + "\" is not a key id");
        }
        var refusal = keys.revoke(id, false); // the host's operator may revoke the last admin key: the CLI can issue another
        if (refusal.isPresent()) {
            err.println(switch (refusal.get()) {
                case NOT_FOUND -> "no API key with id " + id;
                case ALREADY_REVOKED -> "API key " + id + " is already revoked";
                case LAST_ADMIN_KEY -> "API key " + id + " is the last admin key";
            });
            return 1;
        }
        out.println("revoked API key " + id);
        return 0;
    }
}
