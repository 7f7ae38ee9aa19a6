package io.portwatch.collector.db;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.Instant;

/**
 * The range-partitioned tables and their partition size: raw results by day, hourly rollups by
 * month, daily rollups by year. A partition is named {@code <table>_p<start>}, e.g.
 * {@code result_p20261125}, {@code rollup_hourly_p202611}, {@code rollup_daily_p2026}.
 */
public enum PartitionedTable {
    RESULT("result", ChronoUnit.DAYS, "yyyyMMdd", 100),
    // The rollup folder updates rollup rows in place: free room per page keeps those updates HOT.
    ROLLUP_HOURLY("rollup_hourly", ChronoUnit.MONTHS, "yyyyMM", 70),
    ROLLUP_DAILY("rollup_daily", ChronoUnit.YEARS, "yyyy", 70);

    private final String table;
    private final ChronoUnit unit;
    private final DateTimeFormatter suffix;
    private final int fillfactor;

    PartitionedTable(String table, ChronoUnit unit, String suffixPattern, int fillfactor) {
        this.table = table;
        this.unit = unit;
        this.suffix = DateTimeFormatter.ofPattern(suffixPattern);
        this.fillfactor = fillfactor;
    }

    /** Percentage of each page a new partition fills on insert (PostgreSQL's fillfactor). */
    public int fillfactor() {
        return fillfactor;
    }

    public String table() {
        return table;
    }

    /** First day (UTC) of the partition holding {@code at}. */
    public LocalDate start(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (unit) {
            case DAYS -> day;
            case MONTHS -> day.withDayOfMonth(1);
            case YEARS -> day.withDayOfYear(1);
            default -> throw new IllegalStateException(unit.toString());
        };
    }

    public LocalDate next(LocalDate start) {
        return start.plus(1, unit);
    }

    public String partitionName(LocalDate start) {
        return table + "_p" + suffix.format(start);
    }
}
