package io.portwatch.collector.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The list's instants must read exactly as Jackson writes them elsewhere: Instant.toString. */
class InstantTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        Random random = new Random(3);
        char[] buf = new char[InstantText.MAX_CHARS];
        List<Instant> fixed = List.of(Instant.EPOCH, Instant.parse("2026-12-01T20:10:00Z"),
                Instant.parse("2026-12-01T20:10:00.120Z"), Instant.parse("2026-12-01T20:10:00.000456Z"),
                Instant.parse("2026-02-28T23:59:59.999999999Z"), Instant.parse("0999-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-01-01T00:00:00.5Z"));
        for (Instant t : fixed) {
            assertEquals('"' + t.toString() + '"', new String(buf, 0, InstantText.quoted(t, buf)));
        }
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 253_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertEquals('"' + t.toString() + '"', new String(buf, 0, InstantText.quoted(t, buf)), t.toString());
        }
    }
}
