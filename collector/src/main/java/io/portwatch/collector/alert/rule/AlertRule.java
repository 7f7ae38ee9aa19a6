package io.portwatch.collector.alert.rule;

import io.portwatch.collector.alert.AlertCondition;
import io.portwatch.collector.alert.AlertCondition.Trigger;
import io.portwatch.core.DurationParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which check instances to watch ({@code match}), when their alert fires and resolves
 * ({@code condition}), how urgent it is and whom to tell ({@code channels}: notifier names; empty
 * means every configured notifier).
 */
public record AlertRule(String name, Matchers match, AlertCondition condition, Severity severity,
        List<String> channels, RuleSource source) {

    /** The shipped rule: any unhealthy check, after 3 consecutive results. */
    public static final AlertRule DEFAULT = new AlertRule("default", Matchers.ANY, AlertCondition.DEFAULT,
            Severity.WARNING, List.of(), RuleSource.DEFAULT);

    public AlertRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(severity, "severity");
        channels = List.copyOf(channels);
    }

    /** The rule as the rules file and the API write it (the API stores this document). */
    public Map<String, Object> document() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("match", match.document());
        if (condition.trigger() instanceof Trigger.After a) {
            out.put("after", a.results());
        } else if (condition.trigger() instanceof Trigger.For f) {
            out.put("for", DurationParser.format(f.duration()));
        }
        out.put("recover_after", condition.recoverAfter());
        out.put("quorum", condition.quorum());
        out.put("severity", severity.text());
        out.put("channels", channels);
        return out;
    }
}
