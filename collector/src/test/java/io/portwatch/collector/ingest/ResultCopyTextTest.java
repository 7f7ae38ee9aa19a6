package io.portwatch.collector.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written COPY text: timestamps that read back as the same instant, and escaped UTF-8 text. */
class ResultCopyTextTest {

    private static String text(ResultCopy.Text t) {
        return new String(t.bytes, 0, t.length, StandardCharsets.UTF_8);
    }

    @Test
    void timestampsReadBackAsTheSameInstant() {
        Random random = new Random(3);
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999999999Z",
                "2024-02-29T12:00:00.5Z", "2026-12-31T23:59:59.001Z", "2027-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
                "2100-03-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
            Instant at = Instant.parse(edge);
            assertEquals(at, Instant.parse(text(new ResultCopy.Text(8).timestamp(at))), edge);
        }
        for (int i = 0; i < 100_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
            assertEquals(at, Instant.parse(text(new ResultCopy.Text(8).timestamp(at))), at.toString());
        }
    }

    @Test
    void yearsBeyondFourDigitsFallBackToJavaTime() {
        Instant far = Instant.parse("+12026-01-01T00:00:00Z");
        assertEquals(far.toString(), text(new ResultCopy.Text(8).timestamp(far)));
    }

    @Test
    void textIsEscapedAndEncodedAsUtf8() {
        assertEquals("\\N", text(new ResultCopy.Text(8).field(null)));
        assertEquals("a\\tb\\nc\\rd\\\\e", text(new ResultCopy.Text(8).field("a\tb\nc\rd\\e")));
        String unicode = "Zürich — 東京 \uD83D\uDE80 tab\there";
        assertEquals(unicode.replace("\t", "\\t"), text(new ResultCopy.Text(8).field(unicode)));
        assertEquals("x?y", text(new ResultCopy.Text(8).field("x\uD83Dy")), "an unpaired surrogate is not valid UTF-8");
    }

    @Test
    void theBufferGrowsAsNeeded() {
        ResultCopy.Text t = new ResultCopy.Text(1);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            t.number(i).tab();
            expected.append(i).append('\t');
        }
        assertEquals(expected.toString(), text(t));
    }
}
