package io.portwatch.agent.probe.tcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The first bytes a TCP service sent, up to {@link #MAX_BYTES}, and whether they match the
 * expected banner. Bytes are decoded as ISO-8859-1, one char per byte, so any byte sequence can be
 * matched and a multi-byte character never straddles two reads; a pattern is found anywhere in the
 * bytes (anchor it with {@code ^} to match the start).
 */
final class Banner {

    static final int MAX_BYTES = 4_096;
    /** Characters of the received bytes quoted in a result detail. */
    private static final int SHOWN_CHARS = 120;

    private final Pattern expected;
    private final byte[] bytes = new byte[MAX_BYTES];
    private int length;

    Banner(Pattern expected) {
        this.expected = expected;
    }

    /** Room left; reads must be limited to it. */
    int room() {
        return MAX_BYTES - length;
    }

    void append(ByteBuffer received) {
        int n = Math.min(received.remaining(), room());
        received.get(bytes, length, n);
        length += n;
    }

    boolean matches() {
        return expected.matcher(text()).find();
    }

    boolean isFull() {
        return length == MAX_BYTES;
    }

    int length() {
        return length;
    }

    /** The bytes received so far, quoted and escaped for a result detail. */
    String quoted() {
        return '"' + escape(bytes, length, SHOWN_CHARS) + '"';
    }

    private String text() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Printable ASCII as is, {@code \r \n \t \\ \"} escaped, any other byte as {@code \xNN}. */
    static String escape(byte[] data, int length, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (out.length() >= maxChars) {
                return out.append("...").toString();
            }
            int b = data[i] & 0xff;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        out.append((char) b);
                    } else {
                        out.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        return out.toString();
    }
}
