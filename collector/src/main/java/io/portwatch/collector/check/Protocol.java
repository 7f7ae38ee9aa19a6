package io.portwatch.collector.check;

public enum Protocol {
    TCP,
    UDP
}
