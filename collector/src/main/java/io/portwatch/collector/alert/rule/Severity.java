package io.portwatch.collector.alert.rule;

import java.util.Locale;

/** How urgent an alert is; written in lower case in rules, the API and notifications. */
public enum Severity {
    CRITICAL,
    WARNING,
    INFO;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
