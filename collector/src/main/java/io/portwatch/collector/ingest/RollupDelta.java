package io.portwatch.collector.ingest;

import io.portwatch.collector.history.ResultRow;
import io.portwatch.collector.uptime.RollupKey;
import io.portwatch.collector.uptime.RollupSums;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fold adds: committed results summed per (check, hour) and (check, day), each check's
 * newest result, and the backlog blocks they came from. Built by the folder as transactions
 * commit, or from a block's rows read back. Not thread-safe: the folder guards it.
 */
final class RollupDelta {

    final Map<RollupKey, RollupSums> hourly = new HashMap<>();
    final Map<Long, ResultRow> newest = new HashMap<>();
    final List<Long> blocks = new ArrayList<>();
    private int rows;

    void add(ResultRow r) {
        rows++;
        long second = r.observedAt().getEpochSecond();
        hourly.computeIfAbsent(new RollupKey(r.checkId(), Instant.ofEpochSecond(Math.floorDiv(second, 3600) * 3600)),
                k -> new RollupSums()).add(r);
        newest.merge(r.checkId(), r, RollupDelta::newer);
    }

    /** The hourly sums added up per (check, UTC day): per key, at fold time, rather than per result. */
    Map<RollupKey, RollupSums> daily() {
        Map<RollupKey, RollupSums> daily = new HashMap<>();
        hourly.forEach((k, sums) -> daily.computeIfAbsent(
                new RollupKey(k.checkId(), Instant.ofEpochSecond(Math.floorDiv(k.bucket().getEpochSecond(), 86400) * 86400)),
                d -> new RollupSums()).add(sums));
        return daily;
    }

    int rows() {
        return rows;
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The later of two results of one check (equal times: the later row). */
    static ResultRow newer(ResultRow a, ResultRow b) {
        int byTime = a.observedAt().compareTo(b.observedAt());
        return byTime > 0 || (byTime == 0 && a.id() > b.id()) ? a : b;
    }
}
