package io.portwatch.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Details leave the agent in a form the collector accepts, so a batch is never refused for one. */
class ProtoMappingTest {

    @Test
    void aCleanDetailTravelsUnchanged() {
        String d = "expected \"^220 \", got \"SSH-2.0\"\tline\r\nnext";
        assertSame(d, ProtoMapping.detail(d));
        assertSame("", ProtoMapping.detail(""));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("nul \\u0000 bell \\u0007 del \\u007f", ProtoMapping.detail("nul \u0000 bell \u0007 del \u007f"));
        assertEquals("half \\ud800 pair", ProtoMapping.detail("half \ud800 pair"));
    }

    @Test
    void aLongDetailIsCutToTheCollectorsLimit() {
        String cut = ProtoMapping.detail("é".repeat(5000));
        assertEquals(ProtoMapping.MAX_DETAIL, cut.codePointCount(0, cut.length()));
        assertTrue(cut.endsWith("…"));
        String escaped = ProtoMapping.detail("\u0001".repeat(1000));
        assertTrue(escaped.codePointCount(0, escaped.length()) <= ProtoMapping.MAX_DETAIL, "escapes count too");
    }
}
