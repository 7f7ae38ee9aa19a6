package io.portwatch.collector.alert.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), backoff.after(1));
        assertEquals(Duration.ofSeconds(2), backoff.after(2));
        assertEquals(Duration.ofSeconds(4), backoff.after(3));
        assertEquals(Duration.ofSeconds(256), backoff.after(9));
        assertEquals(Duration.ofMinutes(5), backoff.after(10));
        assertEquals(Duration.ofMinutes(5), backoff.after(1000));
    }
}
