package io.portwatch.agent.cli;

import io.portwatch.agent.config.CheckInstance;
import io.portwatch.agent.probe.ProbeResult;
import io.portwatch.core.check.Health;
import java.util.Comparator;
import java.util.Locale;

/** One line of {@code agent probe} output: what was checked and what the probe found. */
record ProbeOutcome(CheckInstance instance, ProbeResult result) {

    /** The output order: host, proto, port, then check name (several checks may watch one port). */
    static final Comparator<ProbeOutcome> ORDER = Comparator
            .comparing((ProbeOutcome o) -> o.instance.target())
            .thenComparing(o -> o.instance.protocol())
            .thenComparingInt(o -> o.instance.port())
            .thenComparing(o -> o.instance.checkName());

    Health health() {
        return instance.expect().health(result.state(), result.reason().id());
    }

    /** Milliseconds with microsecond precision, always with a dot: {@code 0.213}. */
    String latencyMillis() {
        return String.format(Locale.ROOT, "%.3f", result.latency().toNanos() / 1e6);
    }
}
