import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the schedule benchmark reads from one scrape of the agent's Prometheus /q/metrics. */
final class AgentMetrics {

    /** Lateness histogram: upper bound (seconds, +Inf last) to the cumulative count. */
    final TreeMap<Double, Double> latenessBuckets = new TreeMap<>();
    final Map<String, Double> probesByState = new TreeMap<>();
    double latenessCount;
    double latenessMax;
    double skipped;
    double probes;
    double pendingBatches;

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    static AgentMetrics parse(String text) {
        AgentMetrics m = new AgentMetrics();
        for (String line : text.split("\n")) {
            Matcher s = SAMPLE.matcher(line);
            if (line.startsWith("#") || !s.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (s.group(3) != null) {
                Matcher l = LABEL.matcher(s.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            double value = Double.parseDouble(s.group(4));
            switch (s.group(1)) {
                case "portwatch_agent_schedule_lateness_seconds_bucket" -> m.latenessBuckets.put(
                        labels.get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(labels.get("le")),
                        value);
                case "portwatch_agent_schedule_lateness_seconds_count" -> m.latenessCount = value;
                case "portwatch_agent_schedule_lateness_seconds_max" -> m.latenessMax = value;
                case "portwatch_agent_schedule_skipped_total" -> m.skipped = value;
                case "portwatch_agent_spool_batches" -> m.pendingBatches = value;
                case "portwatch_agent_probes_total" -> {
                    m.probes += value;
                    m.probesByState.merge(labels.getOrDefault("proto", "?") + "/" + labels.getOrDefault("state", "?"),
                            value, Double::sum);
                }
                default -> { }
            }
        }
        if (m.latenessBuckets.isEmpty()) {
            throw new IllegalStateException("no portwatch_agent_schedule_lateness_seconds buckets in /q/metrics");
        }
        return m;
    }

    /** The q-quantile of lateness (seconds) between two scrapes, from the bucket deltas. */
    static double latenessQuantile(AgentMetrics before, AgentMetrics after, double q) {
        TreeMap<Double, Double> window = new TreeMap<>();
        after.latenessBuckets.forEach((le, n) -> window.put(le, n - before.latenessBuckets.getOrDefault(le, 0.0)));
        return quantile(window, after.latenessCount - before.latenessCount, q);
    }

    /**
     * The q-quantile from cumulative bucket counts, interpolated linearly inside the bucket where it
     * falls, as Prometheus' histogram_quantile does.
     */
    static double quantile(TreeMap<Double, Double> cumulative, double total, double q) {
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound; // above the largest finite bucket: that is all that is known
                }
                double inBucket = e.getValue() - lowerCount;
                return lowerBound + (e.getKey() - lowerBound) * (inBucket == 0 ? 1 : (rank - lowerCount) / inBucket);
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    String probesByStateSince(AgentMetrics before) {
        return probesByState.entrySet().stream()
                .map(e -> e.getKey() + "=" + Math.round(e.getValue() - before.probesByState.getOrDefault(e.getKey(), 0.0)))
                .collect(Collectors.joining(", "));
    }
}
