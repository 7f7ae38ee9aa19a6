package io.portwatch.collector.alert.rule;

/** A port matcher: one port ({@code 443}) or an inclusive range ({@code 8000-8010}). */
public record PortRange(int low, int high) {

    public PortRange {
        if (low < 0 || high > 65535 || low > high) {
            throw new IllegalArgumentException("port range " + low + "-" + high + " is not within 0-65535");
        }
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    /** As written in a rule: {@code 443} or {@code 8000-8010}. */
    public String text() {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }
}
