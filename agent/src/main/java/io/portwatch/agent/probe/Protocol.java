package io.portwatch.agent.probe;

/** Transport protocol of a check instance. */
public enum Protocol {
    TCP,
    UDP;

    private final String id = name().toLowerCase(java.util.Locale.ROOT);

    /** Lower-case name as written in check files and instance keys. */
    public String id() {
        return id;
    }
}
