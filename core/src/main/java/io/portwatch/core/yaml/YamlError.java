package io.portwatch.core.yaml;

/**
 * A problem in a YAML document at a 1-based place, printed {@code file:line:column: message}:
 * a check file's, a rules file's or a request body's. Ordered by file, line, column, message.
 */
public record YamlError(String file, int line, int column, String message) implements Comparable<YamlError> {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public int compareTo(YamlError o) {
        int c = file.compareTo(o.file);
        if (c == 0) c = Integer.compare(line, o.line);
        if (c == 0) c = Integer.compare(column, o.column);
        return c != 0 ? c : message.compareTo(o.message);
    }
}
