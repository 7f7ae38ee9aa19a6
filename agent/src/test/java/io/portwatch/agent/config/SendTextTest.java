package io.portwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendTextTest {

    private static String decode(String text) {
        List<String> errors = new ArrayList<>();
        String decoded = SendText.decode(text, true, errors::add);
        assertEquals(List.of(), errors);
        return decoded;
    }

    @Test
    void decodesEscapes() {
        assertEquals("HELO\r\n", decode("HELO\\r\\n"));
        assertEquals("a\tb", decode("a\\tb"));
        assertEquals("back\\slash", decode("back\\\\slash"));
        assertEquals("\u0000\u00ffA", decode("\\x00\\xfF\\x41"));
        assertEquals("caf\u00e9 as it is", decode("caf\u00e9 as it is"));
    }

    @Test
    void leavesBackslashesAloneWhenYamlAppliedEscapesAlready() {
        assertEquals("a\\nb", SendText.decode("a\\nb", false, message -> { }));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a\\qb       | invalid escape \"\\q\" in send: expected \\r, \\n, \\t, \\\\ or \\xNN",
        "end\\       | invalid escape \"\\\" in send: expected \\r, \\n, \\t, \\\\ or \\xNN",
        "\\xZZ       | invalid escape \"\\x\" in send: expected \\xNN with two hex digits",
        "\\x4        | invalid escape \"\\x4\" in send: expected \\xNN with two hex digits",
        "\u0100      | send contains \"\u0100\" (U+0100), which is not one byte: write bytes as \\xNN",
        "\ud83d\ude00 | send contains \"\ud83d\ude00\" (U+1F600), which is not one byte: write bytes as \\xNN",
    })
    void refusesWhatIsNotBytes(String text, String message) {
        List<String> errors = new ArrayList<>();

        assertNull(SendText.decode(text, true, errors::add));
        assertEquals(List.of(message), errors);
    }
}
