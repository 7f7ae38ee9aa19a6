package io.portwatch.collector.security;

/**
 * The kinds of secrets the collector issues. Each carries a recognisable prefix, so a leaked one
 * can be found by secret scanners and its kind is clear from the string alone.
 */
public enum SecretKind {
    /** A REST API key, sent as {@code Authorization: Bearer pwk_…}. */
    API_KEY("pwk_"),
    /** A per-agent ingest token, sent by the agent as gRPC {@code authorization: Bearer pwa_…}. */
    AGENT_TOKEN("pwa_");

    private final String prefix;

    SecretKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public boolean matches(String presented) {
        return presented != null && presented.startsWith(prefix);
    }
}
