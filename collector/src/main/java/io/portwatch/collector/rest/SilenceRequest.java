package io.portwatch.collector.rest;

import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST} and {@code PUT /api/v1/silences} as the OpenAPI document shows it. The
 * body itself is read by {@code SilenceReader} with the rules file's grammar for its matchers, so
 * silences and rules match alike and are refused with the same messages
 * ({@code silence: endsAt: must be after startsAt ...}).
 */
@Schema(name = "SilenceRequest", description = "a silence: the alerts it mutes and when")
public record SilenceRequest(
        @Schema(required = true, description = "at least one matcher") Matchers matchers,
        @Schema(description = "default now") Instant startsAt,
        @Schema(required = true, description = "after startsAt") Instant endsAt,
        @Schema(required = true, minLength = 1) String comment,
        @Schema(required = true, minLength = 1) String createdBy) {

    /** The rule matchers, and the rule's name. Values are exact strings or globs (* and ?). */
    @Schema(name = "SilenceMatchers")
    public record Matchers(
            @Schema(description = "the name of the alert's rule") String rule,
            String check,
            String target,
            @Schema(enumeration = {"tcp", "udp"}) String proto,
            @Schema(pattern = "\\d{1,5}(-\\d{1,5})?", example = "443", description = "a port or a range, 0-65535")
            String port,
            String agent,
            @Schema(description = "label name to value or glob") Map<String, String> labels) {}
}
