package io.portwatch.agent.config;

import java.util.function.Consumer;

/**
 * The {@code send:} text of a TCP check. It stands for bytes: every character is one byte
 * (U+0000-U+00FF, i.e. ISO-8859-1), so {@code \xNN} is the byte NN whatever its value. Escapes
 * {@code \r \n \t \\ \xNN} are understood in plain and single-quoted YAML; a double-quoted YAML
 * string has them applied by YAML already.
 */
final class SendText {

    private static final String EXPECTED = "expected \\r, \\n, \\t, \\\\ or \\xNN";

    private SendText() {}

    /** The decoded text, or null after reporting each problem to {@code error}. */
    static String decode(String text, boolean escapes, Consumer<String> error) {
        StringBuilder decoded = new StringBuilder(text.length());
        boolean valid = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && escapes) {
                int length = escapeLength(text, i);
                String escape = text.substring(i, Math.min(text.length(), i + length));
                Character value = unescape(escape);
                if (value == null) {
                    error.accept("invalid escape \"" + escape + "\" in send: "
                            + (escape.startsWith("\\x") ? "expected \\xNN with two hex digits" : EXPECTED));
                    valid = false;
                } else {
                    decoded.append(value.charValue());
                }
                i += escape.length() - 1;
            } else if (c > 0xFF) {
                int codePoint = text.codePointAt(i);
                error.accept("send contains \"" + new String(Character.toChars(codePoint)) + "\" (U+"
                        + String.format("%04X", codePoint) + "), which is not one byte: write bytes as \\xNN");
                valid = false;
                i += Character.charCount(codePoint) - 1;
            } else {
                decoded.append(c);
            }
        }
        return valid ? decoded.toString() : null;
    }

    /** {@code \xNN} is four characters, any other escape two (one at the end of the text). */
    private static int escapeLength(String text, int start) {
        if (start + 1 < text.length() && text.charAt(start + 1) == 'x') {
            int end = start + 2;
            while (end < text.length() && end < start + 4 && Character.digit(text.charAt(end), 16) >= 0) {
                end++;
            }
            return end - start;
        }
        return 2;
    }

    private static Character unescape(String escape) {
        return switch (escape) {
            case "\\r" -> '\r';
            case "\\n" -> '\n';
            case "\\t" -> '\t';
            case "\\\\" -> '\\';
            default -> escape.length() == 4 && escape.startsWith("\\x")
                    ? Character.valueOf((char) Integer.parseInt(escape.substring(2), 16))
                    : null;
        };
    }
}
