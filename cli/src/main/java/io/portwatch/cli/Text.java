package io.portwatch.cli;

/**
 * Bounds what the collector sends before it reaches the terminal: control characters (an escape
 * sequence could rewrite the screen) become {@code ?}, and a value longer than its limit is cut
 * to the limit, its last character replaced by {@code …}. Lengths count code points.
 */
final class Text {

    /** A table cell's limit unless the column says otherwise. */
    static final int CELL = 40;
    /** An error message's limit (a problem's detail, a refused body's first line). */
    static final int MESSAGE = 500;

    private Text() {}

    /** {@code value} made safe to print in at most {@code max} characters; {@code -} for null. */
    static String bound(String value, int max) {
        if (value == null) {
            return "-";
        }
        boolean cut = value.codePointCount(0, value.length()) > max;
        int keep = cut ? max - 1 : max;
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(keep).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return cut ? out.append('…').toString() : out.toString();
    }
}
