package io.portwatch.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One line per scenario run in e2e/target/faults/results.tsv, which bench/faults/run.sh prints as
 * the suite's table, and the same on stdout. The load average is taken when the scenario starts:
 * a scenario run on a busy machine says so next to its numbers.
 */
final class FaultReport {

    static final Path FILE = DeployStack.ROOT.resolve("e2e/target/faults/results.tsv");
    static final String HEADER = "scenario\texpected\tstored\tduplicates\tlost\tnot-probed\tlargest-gap\trecovery\tnote\tdate\tloadavg";

    private final String scenario;
    private final Instant started = Instant.now();
    private final String loadAtStart = loadAverage();

    FaultReport(String scenario) {
        this.scenario = scenario;
        System.out.printf("[fault] %s: started %s, load average %s%n", scenario, started.truncatedTo(ChronoUnit.SECONDS), loadAtStart);
    }

    /** Records the audit of the scenario's window, with how long recovery took and a short note. */
    void record(HistoryAudit.Audit audit, Optional<Duration> recovery, String note) {
        System.out.printf("[fault] %s: %s%n", scenario, audit.describe());
        write(audit.expected(), audit.stored(), audit.duplicates(), audit.lost(), audit.notProbed(),
                audit.largestGap().toMillis() + " ms", recovery, note);
    }

    /** A row whose counts are not results (notifications, say): {@code note} says what they count. */
    void write(long expected, long stored, long duplicates, long lost, long notProbed, String largestGap,
            Optional<Duration> recovery, String note) {
        String row = String.join("\t", scenario, String.valueOf(expected), String.valueOf(stored), String.valueOf(duplicates),
                String.valueOf(lost), String.valueOf(notProbed), largestGap,
                recovery.map(d -> d.toMillis() + " ms").orElse("not within limit"), note,
                started.truncatedTo(ChronoUnit.SECONDS).toString(), loadAtStart);
        System.out.println("[fault] " + row.replace('\t', '|'));
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, HEADER + "\n");
            }
            Files.writeString(FILE, row + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }

    /** The 1-minute load average, or "?" where /proc is not there. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
