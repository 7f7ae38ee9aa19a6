package io.portwatch.collector.alert.rule;

import io.portwatch.core.yaml.YamlError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The configured rules: the rules file when it exists, else the shipped default rule. */
public final class RulesFile {

    /** A rules file that cannot be used: the collector refuses to start and lists why. */
    public static final class InvalidRulesFile extends RuntimeException {
        private final List<YamlError> errors;

        InvalidRulesFile(Path file, List<YamlError> errors) {
            super("alert rules file " + file + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + ":\n" + errors.stream().map(YamlError::toString).collect(Collectors.joining("\n")));
            this.errors = List.copyOf(errors);
        }

        public List<YamlError> errors() {
            return errors;
        }
    }

    private RulesFile() {}

    public static List<AlertRule> load(Path file) {
        if (!Files.exists(file)) {
            return List.of(AlertRule.DEFAULT);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidRulesFile(file, List.of(new YamlError(file.toString(), 1, 1, "unreadable: " + e.getMessage())));
        }
        RuleReader.Parsed<List<AlertRule>> parsed = RuleReader.file(file.toString(), text);
        if (!parsed.ok()) {
            throw new InvalidRulesFile(file, parsed.errors());
        }
        return parsed.value();
    }
}
