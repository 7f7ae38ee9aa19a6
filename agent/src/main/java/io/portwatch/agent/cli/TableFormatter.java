package io.portwatch.agent.cli;

import io.portwatch.core.check.Health;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Aligned columns for people, with a header and a closing count of unhealthy (and unknown) results. */
final class TableFormatter implements ResultFormatter {

    private static final List<String> HEADER =
            List.of("HOST", "CHECK", "PROTO", "PORT", "STATE", "REASON", "LATENCY_MS", "ADDRESS", "HEALTHY");
    /** Numbers are right-aligned so that digits line up. */
    private static final List<Boolean> RIGHT =
            List.of(false, false, false, true, false, false, true, false, false);

    @Override
    public void print(List<ProbeOutcome> outcomes, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ProbeOutcome o : outcomes) {
            rows.add(List.of(o.instance().target(), o.instance().checkName(), o.instance().protocol().id(),
                    Integer.toString(o.instance().port()), o.result().state().name(), o.result().reason().id(),
                    o.latencyMillis(), o.result().addressText().isEmpty() ? "-" : o.result().addressText(),
                    switch (o.health()) {
                        case HEALTHY -> "yes";
                        case UNHEALTHY -> "NO";
                        case UNKNOWN -> "unknown";
                    }));
        }
        Columns.print(rows, RIGHT, out);
        long unhealthy = outcomes.stream().filter(o -> o.health() == Health.UNHEALTHY).count();
        long unknown = outcomes.stream().filter(o -> o.health() == Health.UNKNOWN).count();
        out.printf("%d result%s, %d unhealthy%s%n", outcomes.size(), outcomes.size() == 1 ? "" : "s", unhealthy,
                unknown == 0 ? "" : ", " + unknown + " unknown");
    }
}
