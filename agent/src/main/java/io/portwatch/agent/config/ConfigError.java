package io.portwatch.agent.config;

/** A check-file problem at a place: printed as {@code file:line:column: message} (1-based). */
public record ConfigError(String file, int line, int column, String message) implements Comparable<ConfigError> {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public int compareTo(ConfigError o) {
        int c = file.compareTo(o.file);
        if (c == 0) c = Integer.compare(line, o.line);
        if (c == 0) c = Integer.compare(column, o.column);
        return c != 0 ? c : message.compareTo(o.message);
    }
}
