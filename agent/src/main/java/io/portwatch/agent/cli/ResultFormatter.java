package io.portwatch.agent.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/** Prints the outcomes of {@code agent probe}, already in output order, in one {@code --format}. */
interface ResultFormatter {

    ResultFormatter TABLE = new TableFormatter();
    ResultFormatter JSON = new JsonFormatter();
    ResultFormatter TSV = new TsvFormatter();

    void print(List<ProbeOutcome> outcomes, PrintStream out);

    static Optional<ResultFormatter> named(String name) {
        return switch (name) {
            case "table" -> Optional.of(TABLE);
            case "json" -> Optional.of(JSON);
            case "tsv" -> Optional.of(TSV);
            default -> Optional.empty();
        };
    }
}
