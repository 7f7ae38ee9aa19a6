package io.portwatch.collector.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST} and {@code PUT /api/v1/alert-rules} as the OpenAPI document shows it:
 * one rule in the keys of the rules file, as JSON. The body itself is read by the rules file's own
 * reader ({@code RuleReader}), so the file and the API accept the same documents and refuse them
 * with the same messages ({@code rule "web": after: expected an integer of at least 1, not "0"}),
 * unknown and duplicate keys included, which a bound record would silently drop or keep.
 */
@Schema(name = "AlertRuleRequest", description = "one alert rule, in the keys of the rules file")
public record AlertRuleRequest(
        @Schema(required = true, pattern = "[A-Za-z0-9._-]+", maxLength = 128,
                description = "unique; agent-down is reserved") String name,
        @Schema(description = "which check instances the rule watches; absent: every one") Match match,
        @Schema(minimum = "1", defaultValue = "3",
                description = "fire after this many consecutive unhealthy results (not with for)") Integer after,
        @JsonProperty("for") @Schema(example = "2m",
                description = "fire after unhealthy this long, such as 30s, 2m or 1h30m (not with after)") String forDuration,
        @JsonProperty("recover_after") @Schema(minimum = "1", defaultValue = "1",
                description = "resolve after this many consecutive healthy results") Integer recoverAfter,
        @Schema(minimum = "1", defaultValue = "1", description = "fire only when this many agents agree") Integer quorum,
        @Schema(enumeration = {"critical", "warning", "info"}, defaultValue = "warning") String severity,
        @Schema(description = "notifier names; empty or absent: every configured notifier") List<String> channels) {

    /** Rule matchers: every one given must match. Values are exact strings or globs (* and ?). */
    @Schema(name = "AlertRuleMatch")
    public record Match(
            String check,
            String target,
            @Schema(enumeration = {"tcp", "udp"}) String proto,
            @Schema(pattern = "\\d{1,5}(-\\d{1,5})?", example = "8000-8010",
                    description = "a port or a range, 0-65535") String port,
            String agent,
            @Schema(description = "label name to value or glob") Map<String, String> labels) {}
}
