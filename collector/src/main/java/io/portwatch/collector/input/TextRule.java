package io.portwatch.collector.input;

/**
 * The charset and length rule every string from the network passes before it reaches the
 * database: PostgreSQL refuses NUL in text and jsonb, and a control character in a name or label
 * breaks every log line, table and notification that shows it. Lengths count code points, as a
 * user counts characters; an unpaired surrogate is refused because it has no UTF-8 form.
 */
public final class TextRule {

    /** How much of a refused value an error message quotes. */
    private static final int SHOWN = 64;

    private TextRule() {}

    /**
     * Why {@code value} breaks the rule, as {@code 300 characters, at most 253} or
     * {@code control character U+0000 at character 4}; null when it does not.
     *
     * @param freeText when true, tab, newline and carriage return are allowed (text for humans)
     */
    public static String violation(String value, int max, boolean freeText) {
        // Each code point is at most two chars: a string this long is over the limit whatever it
        // holds, and only counted, not scanned.
        if (value.length() > 2L * max) {
            return value.codePointCount(0, value.length()) + " characters, at most " + max;
        }
        int count = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL && !(freeText && (cp == '\t' || cp == '\n' || cp == '\r'))) {
                return String.format("control character U+%04X at character %d", cp, count + 1);
            }
            if (type == Character.SURROGATE) {
                return String.format("unpaired surrogate U+%04X at character %d", cp, count + 1);
            }
            count++;
            i += Character.charCount(cp);
        }
        return count > max ? count + " characters, at most " + max : null;
    }

    /**
     * {@code value} as an error message may quote it: control characters escaped as {@code \\u0000}
     * and cut after a few dozen characters, so a refusal never carries the hostile input whole.
     */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), SHOWN) + 8).append('"');
        int shown = 0;
        for (int i = 0; i < value.length(); shown++) {
            if (shown == SHOWN) {
                return out.append("\"… (").append(value.codePointCount(0, value.length())).append(" characters)").toString();
            }
            int cp = value.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.SURROGATE) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.append('"').toString();
    }
}
