package io.portwatch.collector.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.portwatch.collector.alert.AlertCondition.Trigger;
import io.portwatch.collector.alert.rule.AlertRule;
import io.portwatch.collector.alert.rule.RuleSource;
import io.portwatch.core.DurationParser;
import java.util.List;
import java.util.Map;

/** A rule as the API shows it: the keys of the rules file, plus where it comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertRuleView(
        String name,
        RuleSource source,
        Map<String, Object> match,
        Integer after,
        @JsonProperty("for") String forDuration,
        @JsonProperty("recover_after") int recoverAfter,
        int quorum,
        String severity,
        List<String> channels) {

    public static AlertRuleView of(AlertRule r) {
        Trigger t = r.condition().trigger();
        return new AlertRuleView(r.name(), r.source(), r.match().document(),
                t instanceof Trigger.After a ? a.results() : null,
                t instanceof Trigger.For f ? DurationParser.format(f.duration()) : null,
                r.condition().recoverAfter(), r.condition().quorum(), r.severity().text(), r.channels());
    }
}
