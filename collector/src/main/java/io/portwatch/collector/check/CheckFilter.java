package io.portwatch.collector.check;

import io.portwatch.core.check.PortState;
import io.portwatch.core.check.Protocol;

/** Optional filters of GET /checks; a null field does not filter. */
public record CheckFilter(String agentId, String target, Integer port, Protocol proto, PortState state, Boolean healthy) {

    public static final CheckFilter NONE = new CheckFilter(null, null, null, null, null, null);
}
