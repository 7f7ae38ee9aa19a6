package io.portwatch.agent.config;

import io.portwatch.core.DurationParser;
import io.portwatch.core.yaml.YamlReader;
import java.time.Duration;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The {@code interval} and {@code timeout} written at one level of a check file (defaults or a
 * check), and the rules on them: interval at least 1s, timeout above 0 and not above the interval.
 */
final class Timing {

    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** What applies when neither the check nor the file's defaults say otherwise. */
    static final Timing BUILT_IN = new Timing(
            new Value(Duration.ofSeconds(30), "30s", null), new Value(Duration.ofSeconds(2), "2s", null), false);

    /** A duration, the text it was written as (messages quote it) and its node (null if built in). */
    record Value(Duration duration, String text, Node node) {}

    private Value interval;
    private Value timeout;
    /** A duration key was present but unreadable: comparing interval and timeout would mislead. */
    private boolean unreadable;

    Timing() {}

    private Timing(Value interval, Value timeout, boolean unreadable) {
        this.interval = interval;
        this.timeout = timeout;
        this.unreadable = unreadable;
    }

    void readInterval(YamlReader reader, Node node) {
        interval = read(reader, node);
    }

    void readTimeout(YamlReader reader, Node node) {
        timeout = read(reader, node);
    }

    Duration interval() {
        return interval.duration();
    }

    Duration timeout() {
        return timeout.duration();
    }

    /** This level's values where written, {@code inherited}'s elsewhere. */
    Timing over(Timing inherited) {
        return new Timing(
                interval != null ? interval : inherited.interval,
                timeout != null ? timeout : inherited.timeout,
                unreadable || inherited.unreadable);
    }

    /**
     * Reports the rules broken by the values written at this level, given the level they override.
     * Inherited values were checked where they were written, so they are not reported again.
     */
    void check(YamlReader reader, Timing inherited) {
        if (interval != null && interval.duration().compareTo(MIN_INTERVAL) < 0) {
            reader.error(interval.node(), "interval " + interval.text() + " is shorter than 1s");
        }
        if (timeout != null && !isPositive(timeout.duration())) {
            reader.error(timeout.node(), "timeout " + timeout.text() + " is not greater than 0");
        }
        Timing effective = over(inherited);
        if ((interval == null && timeout == null)
                || effective.unreadable
                || effective.interval.duration().compareTo(MIN_INTERVAL) < 0
                || !isPositive(effective.timeout.duration())) {
            return;
        }
        if (effective.timeout.duration().compareTo(effective.interval.duration()) > 0) {
            Node at = timeout != null ? timeout.node() : interval.node();
            reader.error(at, "timeout " + effective.timeout.text() + " is longer than interval "
                    + effective.interval.text());
        }
    }

    /** {@code Duration.isPositive()} arrived after Java 17. */
    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private Value read(YamlReader reader, Node node) {
        String text = reader.text(node, "expected a duration (a number followed by ms, s, m or h)");
        Duration duration = text == null ? null : DurationParser.parse(text).orElse(null);
        if (text != null && duration == null) {
            reader.error(node, "invalid duration \"" + text + "\": " + DurationParser.EXPECTED);
        }
        if (duration == null) {
            unreadable = true;
            return null;
        }
        return new Value(duration, text, node);
    }
}
