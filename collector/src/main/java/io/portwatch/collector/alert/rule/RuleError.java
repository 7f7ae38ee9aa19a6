package io.portwatch.collector.alert.rule;

/** A problem in a rules document, at a 1-based place: printed {@code file:line:column: message}. */
public record RuleError(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
