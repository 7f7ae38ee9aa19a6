package io.portwatch.collector.alert.rule;

/** Where a rule comes from: the API may change only its own rules. */
public enum RuleSource {
    /** Shipped: in force when there is no rules file. */
    DEFAULT,
    /** The rules file, read at start. */
    FILE,
    /** Created through {@code /api/v1/alert-rules}, stored in PostgreSQL. */
    API
}
