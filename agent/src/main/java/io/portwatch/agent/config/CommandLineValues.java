package io.portwatch.agent.config;

import io.portwatch.core.DurationParser;
import io.portwatch.core.check.Protocol;
import io.portwatch.core.yaml.YamlError;
import io.portwatch.core.yaml.YamlReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Check-file values written on a command line ({@code agent probe --tcp 22,8000-8010 --timeout
 * 500ms HOST}): they go through the check-file readers themselves, so a command line accepts and
 * refuses exactly what a check file does, with the same messages, and follows when those rules grow.
 * The readers stay package-private and YAML-based; this class feeds them nodes built from the text.
 */
public final class CommandLineValues {

    /** A value read from one argument, or the messages (without position) of everything wrong in it. */
    public record Parsed<T>(T value, List<String> errors) {

        public Parsed {
            errors = List.copyOf(errors);
        }

        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    private static final Mark AT_START = new Mark("command line", 0, 0, 0, new int[0], 0);

    private CommandLineValues() {}

    /**
     * A comma-separated port list as a {@code tcp:} or {@code udp:} list reads it:
     * {@code "22,80,8000-8010"}. The protocol says which list it stands for, since what a list may
     * hold (service names) depends on it.
     */
    public static Parsed<BitSet> ports(String list, Protocol protocol) {
        YamlReader reader = new YamlReader("command line");
        // Messages carry no position (the caller names the option), so every node sits at column 0.
        List<Node> items = list.isBlank()
                ? List.of() // "--tcp ''" is an empty list, not a list holding one empty port
                : Arrays.stream(list.split(",", -1)).map(item -> (Node) scalar(item.strip())).toList();
        Node node = new SequenceNode(Tag.SEQ, true, items, AT_START, AT_START, DumperOptions.FlowStyle.FLOW);
        BitSet ports = PortListParser.read(reader, node, protocol);
        return new Parsed<>(ports, messages(reader));
    }

    /** A probe timeout as {@code timeout:} reads it ({@code 500ms}, {@code 2s}), which must be above 0. */
    public static Parsed<Duration> timeout(String text) {
        Optional<Duration> duration = DurationParser.parse(text);
        if (duration.isEmpty()) {
            return new Parsed<>(null, List.of("invalid duration \"" + text + "\": " + DurationParser.EXPECTED));
        }
        if (duration.get().isZero() || duration.get().isNegative()) {
            return new Parsed<>(null, List.of("timeout " + text + " is not greater than 0"));
        }
        return new Parsed<>(duration.get(), List.of());
    }

    /** A target as a {@code targets:} list reads it: a host name, an IPv4 or an IPv6 literal (no DNS). */
    public static Parsed<String> target(String text) {
        if (text.isEmpty()) {
            return new Parsed<>(null, List.of("target is empty"));
        }
        if (!TargetListParser.isHostOrAddress(text)) {
            return new Parsed<>(null, List.of("invalid target \"" + text + "\": expected a host name or IP address"));
        }
        return new Parsed<>(text, List.of());
    }

    private static List<String> messages(YamlReader reader) {
        return reader.errors().stream().map(YamlError::message).toList();
    }

    private static ScalarNode scalar(String text) {
        return new ScalarNode(Tag.STR, text, AT_START, AT_START, DumperOptions.ScalarStyle.PLAIN);
    }
}
