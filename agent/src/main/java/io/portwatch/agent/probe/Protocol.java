package io.portwatch.agent.probe;

/** Transport protocol of a check instance. */
public enum Protocol {
    TCP,
    UDP;

    /** Lower-case name as written in check files and instance keys. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
