package io.portwatch.agent.config;

import io.portwatch.core.check.Expectation;
import io.portwatch.core.check.Protocol;
import io.portwatch.core.yaml.YamlError;
import io.portwatch.core.yaml.YamlReader;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Parses one check file into {@link CheckSpec}s and reports every error of the file. Names are
 * returned even for checks with errors, so that duplicates across files are found in the same run.
 *
 * <p>A new check key is a field of {@link CheckDraft}, a reader in {@link #CHECK_FIELDS} and its use
 * in {@link #finish}; a new default is the same with {@link DefaultsDraft}. Keys that shape the probe
 * (family, UDP payload, TCP send/banner/TLS/tls_min_days) are read and checked by {@link ProbeOptions}.
 */
final class CheckFileParser {

    /**
     * The default limit on the instances one check may expand to: keeps one careless range (a
     * check over {@code 1-65535}) from flooding probes and storage.
     */

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");


    /** Where a check name is defined; the loader reports the second of two equal names. */
    record NameAt(String name, String file, int line, int column) {
        String location() {
            return file + ":" + line + ":" + column;
        }
    }

    record Result(List<CheckSpec> checks, List<NameAt> names, List<YamlError> errors) {}

    private static final class FileDraft {
        Node defaults;
        Node checks;
    }

    private static final class DefaultsDraft {
        final Timing timing = new Timing();
        /** Null when not given (or unreadable): then the built-in default, open, applies. */
        Expectation expect;
        Map<String, String> labels = Map.of();
        final ProbeOptions probe = new ProbeOptions();
    }

    private static final class CheckDraft {
        String name;
        Node nameNode;
        /** Each target with the node where it is written, for errors about one target. */
        Map<String, Node> targets;
        BitSet tcp;
        BitSet udp;
        Expectation expect;
        final Timing timing = new Timing();
        Map<String, String> labels = Map.of();
        final ProbeOptions probe = new ProbeOptions();
    }

    private static final YamlReader.Fields<FileDraft> FILE_FIELDS = new YamlReader.Fields<FileDraft>()
            .add("defaults", (r, node, d) -> d.defaults = node)
            .add("checks", (r, node, d) -> d.checks = node);

    private static final YamlReader.Fields<DefaultsDraft> DEFAULTS_FIELDS = new YamlReader.Fields<DefaultsDraft>()
            .add("interval", (r, node, d) -> d.timing.readInterval(r, node))
            .add("timeout", (r, node, d) -> d.timing.readTimeout(r, node))
            .add("labels", (r, node, d) -> d.labels = labels(r, node))
            .add("expect", (r, node, d) -> d.expect = expectation(r, node))
            .add("family", (r, node, d) -> d.probe.readFamily(r, node))
            .add("retries", (r, node, d) -> d.probe.readRetries(r, node));

    private static final YamlReader.Fields<CheckDraft> CHECK_FIELDS = new YamlReader.Fields<CheckDraft>()
            .add("name", (r, node, d) -> {
                d.name = name(r, node);
                d.nameNode = node;
            })
            .add("targets", (r, node, d) -> d.targets = TargetListParser.read(r, node))
            .add("tcp", (r, node, d) -> d.tcp = PortListParser.read(r, node, Protocol.TCP))
            .add("udp", (r, node, d) -> d.udp = PortListParser.read(r, node, Protocol.UDP))
            .add("expect", (r, node, d) -> d.expect = expectation(r, node))
            .add("interval", (r, node, d) -> d.timing.readInterval(r, node))
            .add("timeout", (r, node, d) -> d.timing.readTimeout(r, node))
            .add("labels", (r, node, d) -> d.labels = labels(r, node))
            .add("family", (r, node, d) -> d.probe.readFamily(r, node))
            .add("payload", (r, node, d) -> d.probe.readPayload(r, node))
            .add("community", (r, node, d) -> d.probe.readCommunity(r, node))
            .add("retries", (r, node, d) -> d.probe.readRetries(r, node))
            .add("send", (r, node, d) -> d.probe.readSend(r, node))
            .add("expect_banner", (r, node, d) -> d.probe.readExpectBanner(r, node))
            .add("tls", (r, node, d) -> d.probe.readTls(r, node))
            .add("tls_min_days", (r, node, d) -> d.probe.readTlsMinDays(r, node));

    private final YamlReader reader;
    private final int maxInstancesPerCheck;
    private final List<CheckSpec> checks = new ArrayList<>();
    private final List<NameAt> names = new ArrayList<>();

    private CheckFileParser(String file, int maxInstancesPerCheck) {
        this.reader = new YamlReader(file);
        this.maxInstancesPerCheck = maxInstancesPerCheck;
    }

    /** Parses {@code text}, naming {@code file} in errors; a check may expand to at most the given instances. */
    static Result parse(String file, String text, int maxInstancesPerCheck) {
        CheckFileParser parser = new CheckFileParser(file, maxInstancesPerCheck);
        parser.parseFile(text);
        return new Result(List.copyOf(parser.checks), List.copyOf(parser.names), parser.reader.errors());
    }

    private void parseFile(String text) {
        Node root = reader.compose(text, "missing required key \"checks\"");
        if (root == null) {
            return;
        }
        FileDraft file = new FileDraft();
        Map<String, ScalarNode> keys = reader.mapping(root, FILE_FIELDS, file);
        if (keys == null) {
            return;
        }
        DefaultsDraft defaults = new DefaultsDraft();
        if (file.defaults != null && reader.mapping(file.defaults, DEFAULTS_FIELDS, defaults) != null) {
            defaults.timing.check(reader, Timing.BUILT_IN);
        }
        if (file.checks == null) {
            reader.error(root, "missing required key \"checks\"");
            return;
        }
        List<Node> items = reader.sequence(file.checks, "expected a list of checks");
        if (items != null) {
            items.forEach(item -> parseCheck(item, defaults));
        }
    }

    private void parseCheck(Node item, DefaultsDraft defaults) {
        int errorsBefore = reader.errorCount();
        CheckDraft check = new CheckDraft();
        Map<String, ScalarNode> keys = reader.mapping(item, CHECK_FIELDS, check);
        if (keys == null) {
            return;
        }
        if (check.name != null) {
            Mark mark = check.nameNode.getStartMark();
            names.add(new NameAt(check.name, reader.file(), mark.getLine() + 1, mark.getColumn() + 1));
        }
        for (String required : List.of("name", "targets")) {
            if (!keys.containsKey(required)) {
                reader.error(item, "missing required key \"" + required + "\"");
            }
        }
        if (!keys.containsKey("tcp") && !keys.containsKey("udp")) {
            reader.error(item, "at least one of \"tcp\" or \"udp\" is required");
        }
        check.timing.check(reader, defaults.timing.over(Timing.BUILT_IN));
        check.probe.check(reader, keys, check.targets, check.udp, defaults.probe);
        if (reader.errorCount() == errorsBefore) {
            finish(item, check, defaults);
        }
    }

    /** Applies the defaults to an error-free check and enforces the rules on the whole check. */
    private void finish(Node item, CheckDraft check, DefaultsDraft defaults) {
        Map<String, String> labels = new LinkedHashMap<>(defaults.labels);
        labels.putAll(check.labels);
        Timing timing = check.timing.over(defaults.timing).over(Timing.BUILT_IN);
        CheckSpec spec = new CheckSpec(
                check.name,
                List.copyOf(check.targets.keySet()),
                check.tcp != null ? check.tcp : new BitSet(),
                check.udp != null ? check.udp : new BitSet(),
                check.expect != null ? check.expect : defaults.expect != null ? defaults.expect : Expectation.OPEN,
                timing.interval(),
                timing.timeout(),
                labels,
                check.probe.family(defaults.probe),
                check.probe.tcp(),
                check.probe.udp(defaults.probe));
        if (spec.instanceCount() > maxInstancesPerCheck) {
            reader.error(item, "check \"" + spec.name() + "\" expands to " + spec.instanceCount() + " instances ("
                    + spec.targets().size() + " targets x " + spec.portCount() + " ports), more than the limit of "
                    + maxInstancesPerCheck + " per check");
            return;
        }
        checks.add(spec);
    }

    private static String name(YamlReader r, Node node) {
        String name = r.text(node, "expected a check name");
        if (name == null) {
            return null;
        }
        if (!NAME.matcher(name).matches()) {
            r.error(node, "invalid check name \"" + name + "\": "
                    + "only letters, digits, \".\", \"_\" and \"-\" are allowed");
            return null;
        }
        if (name.length() > WireLimits.MAX_NAME_LENGTH) {
            r.error(node, "check name of " + name.length() + " characters, at most " + WireLimits.MAX_NAME_LENGTH);
            return null;
        }
        return name;
    }

    private static Expectation expectation(YamlReader r, Node node) {
        String text = r.text(node, "expected open or closed");
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "open" -> Expectation.OPEN;
            case "closed" -> Expectation.CLOSED;
            default -> {
                r.error(node, "invalid expect \"" + text + "\": expected open or closed");
                yield null;
            }
        };
    }

    private static Map<String, String> labels(YamlReader r, Node node) {
        Map<String, String> labels = new LinkedHashMap<>();
        var entries = r.entries(node, "expected a mapping of label names to values");
        if (entries == null) {
            return labels;
        }
        entries.forEach((key, value) -> {
            String name = key.getValue();
            Optional<String> badName = WireLimits.labelName(name);
            if (badName.isPresent()) {
                r.error(key, badName.get());
                return;
            }
            String text = r.text(value, "expected a text value for label \"" + name + "\"");
            if (text == null) {
                return;
            }
            WireLimits.labelValue(name, text).ifPresentOrElse(e -> r.error(value, e), () -> labels.put(name, text));
        });
        if (labels.size() > WireLimits.MAX_LABELS) {
            r.error(node, labels.size() + " labels, at most " + WireLimits.MAX_LABELS);
        }
        return labels;
    }
}
