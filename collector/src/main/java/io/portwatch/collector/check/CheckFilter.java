package io.portwatch.collector.check;

/** Optional filters of GET /checks; a null field does not filter. */
public record CheckFilter(String agentId, String target, Integer port, Protocol proto, PortState state, Boolean healthy) {

    public static final CheckFilter NONE = new CheckFilter(null, null, null, null, null, null);
}
