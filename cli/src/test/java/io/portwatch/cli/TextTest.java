package io.portwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void shortValuesPassAndNullIsADash() {
        assertEquals("abc", Text.bound("abc", 3));
        assertEquals("-", Text.bound(null, 3));
    }

    @Test
    void longValuesAreCutToTheLimitWithAnEllipsis() {
        assertEquals("abc…", Text.bound("abcdef", 4));
        assertEquals(4, Text.bound("x".repeat(10_000), 4).length());
    }

    @Test
    void controlCharactersCannotReachTheTerminal() {
        assertEquals("?[2J?]0;owned??", Text.bound("\u001b[2J\u001b]0;owned\u0007\u009b", 40));
        assertEquals("a?b", Text.bound("a\nb", 40));
    }

    @Test
    void lengthsCountCodePoints() {
        String emoji = "\uD83D\uDE00";
        assertEquals(emoji.repeat(3), Text.bound(emoji.repeat(3), 3));
        assertEquals(emoji + "…", Text.bound(emoji.repeat(3), 2));
    }
}
