package io.portwatch.collector.uptime;

import java.util.Arrays;

/**
 * Latency histogram with fixed exponential buckets, so histograms of any hours and days add up
 * bucket by bucket and percentiles can be read from the sum. Bucket 0 holds latencies under
 * {@value #BASE_MICROS} µs; bucket i ≥ 1 holds [BASE·2^((i-1)/3), BASE·2^(i/3)) µs, a relative
 * width of 26 %, so a percentile read at the bucket's geometric middle is within ±12 % of the
 * true value. The last bucket holds everything from about 10 minutes up.
 *
 * <p>Stored as an {@code integer[]} trimmed after the last non-zero bucket: typical latencies use
 * the first 30 buckets.
 */
public final class LatencyHistogram {

    public static final int BASE_MICROS = 10;
    static final int BUCKETS_PER_DOUBLING = 3;
    public static final int BUCKETS = 1 + 3 * 26; // up to 10 µs · 2^26 ≈ 11 min

    /** UPPER[i]: exclusive upper bound of bucket i in µs (bucket 0: BASE). */
    private static final double[] UPPER = new double[BUCKETS];

    static {
        for (int i = 0; i < BUCKETS; i++) {
            UPPER[i] = BASE_MICROS * Math.pow(2, (double) i / BUCKETS_PER_DOUBLING);
        }
    }

    private final long[] counts;

    public LatencyHistogram() {
        this.counts = new long[BUCKETS];
    }

    /** The bucket of a latency; every caller must use this one function so buckets agree. */
    public static int bucketOf(long micros) {
        if (micros < BASE_MICROS) {
            return 0;
        }
        // Walk the bounds rather than take a logarithm: the same bounds decide every bucket.
        int i = 1;
        while (i < BUCKETS - 1 && micros >= UPPER[i]) {
            i++;
        }
        return i;
    }

    static double upperBound(int i) {
        return UPPER[i];
    }

    static double lowerBound(int i) {
        return i == 0 ? 0 : UPPER[i - 1];
    }

    public void record(long micros) {
        counts[bucketOf(micros)]++;
    }

    public void add(int[] other) {
        if (other == null) {
            return;
        }
        for (int i = 0; i < Math.min(other.length, BUCKETS); i++) {
            counts[i] += other[i];
        }
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    /**
     * The latency at quantile q (0 < q ≤ 1) in µs, read at the geometric middle of its bucket;
     * null when the histogram is empty.
     */
    public Double quantileMicros(double q) {
        long total = count();
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return i == 0 ? BASE_MICROS / 2.0 : Math.sqrt(lowerBound(i) * upperBound(i));
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }

    /** Counts trimmed after the last non-zero bucket, as stored. */
    public int[] toArray() {
        int last = BUCKETS - 1;
        while (last >= 0 && counts[last] == 0) {
            last--;
        }
        int[] out = new int[last + 1];
        for (int i = 0; i <= last; i++) {
            out[i] = Math.toIntExact(counts[i]);
        }
        return out;
    }
}
