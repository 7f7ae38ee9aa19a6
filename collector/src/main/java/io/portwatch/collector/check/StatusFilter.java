package io.portwatch.collector.check;

import io.portwatch.core.check.PortState;

/**
 * The status page's filters over the checks in a catalog; a null field does not filter.
 * {@code target} matches a part of the target, any case; {@code labelKey} with {@code labelValue}
 * one label; {@code state} the state the page shows ({@link CheckView#effectiveState()}), so
 * {@code UNKNOWN} means the checks of an agent that is down.
 */
public record StatusFilter(String agentId, String target, String labelKey, String labelValue, PortState state) {

    public static final StatusFilter NONE = new StatusFilter(null, null, null, null, null);
}
