package io.portwatch.collector.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The arguments of one command: positional ones and {@code --option value} pairs, checked against what the command takes. */
record CommandLine(List<String> positional, Map<String, String> options) {

    /** Thrown for arguments the command does not take; its message is the one line to print. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(List<String> args, Set<String> allowedOptions) throws UsageException {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (!allowedOptions.contains(name)) {
                throw new UsageException("unknown option --" + name + (allowedOptions.isEmpty() ? "" : " (allowed: --"
                        + String.join(", --", allowedOptions) + ")"));
            }
            options.put(name, value);
        }
        return new CommandLine(positional, options);
    }
}
