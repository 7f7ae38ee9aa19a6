package io.portwatch.agent.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The collector's default input limits (its {@code portwatch.limits.*}), applied where the agent
 * takes names and labels in: a check file or a setting that passes here is never refused by the
 * collector, which would leave the agent unable to deliver anything.
 */
public final class WireLimits {

    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_LABEL_NAME_LENGTH = 64;
    public static final int MAX_LABEL_VALUE_LENGTH = 256;
    public static final int MAX_LABELS = 64;
    /** Prometheus label names: labels end up on metrics and in alert matchers. */
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private WireLimits() {}

    /** Why a label name breaks the rules, or empty. */
    public static Optional<String> labelName(String name) {
        if (!LABEL_NAME.matcher(name).matches()) {
            return Optional.of("invalid label name \"" + name + "\": "
                    + "expected a letter or \"_\" followed by letters, digits or \"_\"");
        }
        if (name.length() > MAX_LABEL_NAME_LENGTH) {
            return Optional.of("label name of " + name.length() + " characters, at most " + MAX_LABEL_NAME_LENGTH);
        }
        return Optional.empty();
    }

    /** Why the value of label {@code name} breaks the rules, or empty. */
    public static Optional<String> labelValue(String name, String value) {
        int length = value.codePointCount(0, value.length());
        if (length > MAX_LABEL_VALUE_LENGTH) {
            return Optional.of("label \"" + name + "\" has " + length + " characters, at most " + MAX_LABEL_VALUE_LENGTH);
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("label \"" + name + "\" contains a control character");
        }
        return Optional.empty();
    }

    /**
     * The collector's rules over the labels of Hello ({@code portwatch.labels.*}), one message per
     * broken rule; empty when none is. Their names need not be Prometheus names (an environment
     * variable gives {@code team.name}), only short and without control characters.
     */
    public static java.util.List<String> helloLabels(Map<String, String> labels) {
        java.util.List<String> errors = new java.util.ArrayList<>();
        labels.forEach((k, v) -> {
            if (k.length() > MAX_LABEL_NAME_LENGTH || k.codePoints().anyMatch(Character::isISOControl)) {
                errors.add("label name \"" + k + "\": at most " + MAX_LABEL_NAME_LENGTH + " characters, no control characters");
            }
            labelValue(k, v).ifPresent(errors::add);
        });
        if (labels.size() > MAX_LABELS) {
            errors.add(labels.size() + " labels, at most " + MAX_LABELS);
        }
        return errors;
    }
}
