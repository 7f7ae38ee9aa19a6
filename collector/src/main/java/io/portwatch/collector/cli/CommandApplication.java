package io.portwatch.collector.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Arrays;

/** Runs one command in a started Quarkus, then returns its exit code: Quarkus stops at once. */
public class CommandApplication implements QuarkusApplication {

    @Inject
    Instance<CommandGroup> groups;

    @Override
    public int run(String... args) {
        String name = args[0];
        for (CommandGroup group : groups) {
            if (group.name().equals(name)) {
                return group.run(Arrays.asList(args).subList(1, args.length), System.out, System.err);
            }
        }
        System.err.println("no command group \"" + name + "\"");
        return CollectorCommands.USAGE;
    }
}
