package io.portwatch.collector.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The charset and length rule, and how a refused value is quoted. */
class TextRuleTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "web-frontends         | 16 | false | -",
        "ab\\u0000             | 16 | false | control character U+0000 at character 3",
        "\\u007f               | 16 | false | control character U+007F at character 1",
        "\\u0085               | 16 | false | control character U+0085 at character 1",
        "a\\tb                 | 16 | false | control character U+0009 at character 2",
        "a\\tb\\r\\nc          | 16 | true  | -",
        "a\\u0001b             | 16 | true  | control character U+0001 at character 2",
        "\\ud800x              | 16 | false | unpaired surrogate U+D800 at character 1",
        "abcde                 | 4  | false | 5 characters, at most 4",
        "abcd                  | 4  | false | -",
        "abcdefghij            | 4  | false | 10 characters, at most 4",
    })
    void violations(String escaped, int max, boolean freeText, String expected) {
        assertEquals(expected, TextRule.violation(unescape(escaped), max, freeText));
    }

    @Test
    void lengthsCountCodePointsNotUtf16Units() {
        String fourEmoji = "\ud83d\ude00".repeat(4);
        assertNull(TextRule.violation(fourEmoji, 4, false));
        assertEquals("5 characters, at most 4", TextRule.violation(fourEmoji + "\ud83d\ude00", 4, false));
    }

    @Test
    void shownEscapesControlsAndSurrogatesAndCutsLongValues() {
        assertEquals("\"a\\u0000b\\u001b\"", TextRule.shown("a\u0000b\u001b"));
        assertEquals("\"\\ud800\"", TextRule.shown("\ud800"));
        assertEquals("\"" + "x".repeat(64) + "\"… (65 characters)", TextRule.shown("x".repeat(65)));
        // A pair is never split: the cut counts code points.
        assertEquals("\"" + "\ud83d\ude00".repeat(64) + "\"… (70 characters)", TextRule.shown("\ud83d\ude00".repeat(70)));
    }

    /** CSV cannot hold the characters themselves: backslash escapes as in Java source. */
    private static String unescape(String s) {
        return s.replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n")
                .replace("\\u0000", "\u0000").replace("\\u007f", "\u007f").replace("\\u0085", "\u0085")
                .replace("\\u0001", "\u0001").replace("\\ud800", "\ud800");
    }
}
