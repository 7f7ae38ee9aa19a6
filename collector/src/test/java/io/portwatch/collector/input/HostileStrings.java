package io.portwatch.collector.input;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Strings an attacker or a broken client may send, and strange but legal ones that must be stored as sent. */
final class HostileStrings {

    /** Known trouble: path traversal, encodings, injections, NUL, lone surrogates, numbers out of range. */
    static final List<String> KNOWN = List.of("", " ", "\u0000", "a\u0000b", "..", ".", "../..", "../../etc/passwd",
            "..%2f..%2f", "%00", "%2e%2e%2f", "%", "%zz", "%c0%ae", "%ff", "' or '1'='1", "\"; drop table agent; --",
            "\\", "\\u0000", "\u202e", "\ufeff", "\ud83d\ude00", "\ud800", "\udfff", "名前", "\u0085", "\u2028",
            "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "<script>alert(1)</script>", "a|b|tcp|1", "a|b|sctp|1", "a|b|tcp|70000",
            "null", "NaN", "-1", "0", "9223372036854775808", "99999999999999999999", "1e400",
            "2026-02-30T00:00:00Z", "+1000000000-01-01T00:00:00Z", "24h", "401d", "0h", "tcp", "OPEN", "open|filtered",
            "*", "?", "a*b?", "\t", "\r\n", "x\ny");

    private HostileStrings() {}

    /** Anything: known trouble, any UTF-16 unit (controls and lone surrogates included), lengths past every limit. */
    static Arbitrary<String> any() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(KNOWN)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', '\u0085', '\u009b')
                        .ofMinLength(1).ofMaxLength(3).flatMap(c -> legal().map(l -> l + c + l))),
                Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(60).ofMaxLength(300)),
                Tuple.of(1, Arbitraries.strings().ascii().ofMinLength(1_000).ofMaxLength(20_000)),
                Tuple.of(3, legal()));
    }

    /** Odd but allowed: punctuation, quotes, percent signs, slashes, non-Latin scripts and emoji; short, no controls. */
    static Arbitrary<String> legal() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("-._~'\"%;/\\ ?#&=+:@!$()*,<>[]{}^`é").ofMinLength(1).ofMaxLength(16);
        Arbitrary<String> scripts = Arbitraries.strings().withCharRange('\u4e00', '\u4e40').withCharRange('\u0400', '\u0450')
                .withCharRange('\u0600', '\u0640').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> emoji = Arbitraries.integers().between(0x1F600, 0x1F64F).list().ofMinSize(1).ofMaxSize(4)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        return Arbitraries.oneOf(plain, scripts, emoji);
    }

    /** The value as it arrives through protobuf, which sends an unpaired surrogate as '?'. */
    static String overTheWire(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /**
     * An independent oracle of the documented rule: true when {@code s} holds a control character
     * (other than tab, CR and LF in free text) or has more than {@code max} code points.
     */
    static boolean breaksRule(String s, int max, boolean freeText) {
        if (s.codePointCount(0, s.length()) > max) {
            return true;
        }
        return s.codePoints().anyMatch(c -> (c < 0x20 || (c >= 0x7f && c <= 0x9f))
                && !(freeText && (c == '\t' || c == '\n' || c == '\r')));
    }

    /** A path segment, every byte but the unreserved ones percent-encoded (so '/' stays inside the segment). */
    static String segment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
