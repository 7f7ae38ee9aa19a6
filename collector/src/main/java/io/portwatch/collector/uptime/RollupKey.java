package io.portwatch.collector.uptime;

import java.time.Instant;
import java.util.Comparator;

/** A row of {@code rollup_hourly} or {@code rollup_daily}: a check and the start of its hour or UTC day. */
public record RollupKey(long checkId, Instant bucket) {

    /** Sorted by check then bucket: concurrent upserts then take row locks in one order. */
    public static final Comparator<RollupKey> ORDER = Comparator.comparingLong(RollupKey::checkId)
            .thenComparing(RollupKey::bucket);

    // Written out: a lookup per result, where the record's generated methods (method handles)
    // were a visible share of the folder's time.
    @Override
    public boolean equals(Object o) {
        return o instanceof RollupKey k && checkId == k.checkId && bucket.equals(k.bucket);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(checkId) * 31 + bucket.hashCode();
    }
}
