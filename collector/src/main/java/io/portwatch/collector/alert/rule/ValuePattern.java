package io.portwatch.collector.alert.rule;

import java.util.regex.Pattern;

/**
 * One matcher value: an exact string, or a glob when it holds {@code *} (any run of characters)
 * or {@code ?} (one character). Globs over regular expressions: check names and hosts are full
 * of dots, which a regex would read as wildcards.
 */
public final class ValuePattern {

    private final String text;
    private final Pattern glob;

    private ValuePattern(String text) {
        this.text = text;
        this.glob = text.indexOf('*') >= 0 || text.indexOf('?') >= 0 ? compile(text) : null;
    }

    public static ValuePattern of(String text) {
        return new ValuePattern(text);
    }

    public String text() {
        return text;
    }

    public boolean matches(String value) {
        if (value == null) {
            return false;
        }
        return glob == null ? text.equals(value) : glob.matcher(value).matches();
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        int literalStart = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (i > literalStart) {
                    re.append(Pattern.quote(glob.substring(literalStart, i)));
                }
                re.append(c == '*' ? ".*" : ".");
                literalStart = i + 1;
            }
        }
        if (literalStart < glob.length()) {
            re.append(Pattern.quote(glob.substring(literalStart)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValuePattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
