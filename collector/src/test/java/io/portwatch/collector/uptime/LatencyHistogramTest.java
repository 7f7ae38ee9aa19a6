package io.portwatch.collector.uptime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyHistogramTest {

    @ParameterizedTest
    @CsvSource({"0,0", "9,0", "10,1", "12,1", "13,2", "20,4", "40,7", "1000,20", "1000000,50", "9999999999,78"})
    void bucketsAreExponentialFromTenMicroseconds(long micros, int bucket) {
        assertEquals(bucket, LatencyHistogram.bucketOf(micros));
    }

    @Test
    void everyBucketHoldsExactlyItsBounds() {
        for (int i = 1; i < LatencyHistogram.BUCKETS - 1; i++) {
            long lo = (long) Math.ceil(LatencyHistogram.lowerBound(i));
            long hi = (long) Math.ceil(LatencyHistogram.upperBound(i)) - 1;
            if (lo <= hi) {
                assertEquals(i, LatencyHistogram.bucketOf(lo), "lower edge of bucket " + i);
                assertEquals(i, LatencyHistogram.bucketOf(hi), "upper edge of bucket " + i);
            }
        }
    }

    @Test
    void quantilesAreWithinTheBucketPrecisionOfTheExactValue() {
        Random random = new Random(42);
        long[] values = new long[10_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 + (long) Math.exp(random.nextGaussian() * 1.5 + 7); // lognormal around 1 ms
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            double estimate = h.quantileMicros(q);
            assertTrue(Math.abs(estimate - exact) / exact <= 0.13, "q" + q + ": " + estimate + " vs " + exact);
        }
    }

    @Test
    void storedArraysAreTrimmedAndAddUp() {
        LatencyHistogram a = new LatencyHistogram();
        a.record(5);
        a.record(15);
        LatencyHistogram b = new LatencyHistogram();
        b.add(a.toArray());
        b.add(a.toArray());
        assertArrayEquals(new int[] {2, 0, 2}, b.toArray());
        assertEquals(4, b.count());
        assertArrayEquals(new int[0], new LatencyHistogram().toArray());
        assertNull(new LatencyHistogram().quantileMicros(0.5));
    }
}
