package io.portwatch.collector.history;

import java.time.Instant;
import java.util.Arrays;

/** A growing buffer of COPY binary-format fields: each is its length (int32, -1 for null) and its bytes. */
final class CopyBinary {
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix seconds. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    byte[] bytes;
    int length;

    CopyBinary(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    CopyBinary int64(long value) {
        room(12);
        put32(8);
        put64(value);
        return this;
    }

    /** boolean, or null. */
    CopyBinary bool(Boolean value) {
        if (value == null) {
            room(4);
            put32(-1);
            return this;
        }
        room(5);
        put32(1);
        bytes[length++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** timestamptz: microseconds since 2000-01-01 UTC, rounded as PostgreSQL's text input rounds. */
    CopyBinary timestamp(Instant at) {
        return int64(micros(at));
    }

    static long micros(Instant at) {
        long micros = Math.multiplyExact(at.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L);
        // PostgreSQL reads ".nnnnnnnnn" with strtod and keeps rint(fraction * 1e6); nanos / 1e9 is
        // that same correctly rounded double, and Math.rint rounds half to even as rint does.
        return micros + (long) Math.rint(at.getNano() / 1e9 * 1_000_000);
    }

    /** text: UTF-8 (an unpaired surrogate becomes '?'), or null. */
    CopyBinary text(String value) {
        if (value == null) {
            room(4);
            put32(-1);
            return this;
        }
        room(4 + value.length() * 3);
        int lengthAt = length;
        length += 4;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x80) {
                bytes[length++] = (byte) ch;
            } else if (ch < 0x800) {
                bytes[length++] = (byte) (0xC0 | ch >> 6);
                bytes[length++] = (byte) (0x80 | ch & 0x3F);
            } else if (Character.isHighSurrogate(ch) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, value.charAt(++i));
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(ch)) {
                bytes[length++] = '?';
            } else {
                bytes[length++] = (byte) (0xE0 | ch >> 12);
                bytes[length++] = (byte) (0x80 | ch >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | ch & 0x3F);
            }
        }
        int end = length;
        length = lengthAt;
        put32(end - lengthAt - 4);
        length = end;
        return this;
    }

    CopyBinary int16(short value) {
        room(2);
        bytes[length++] = (byte) (value >> 8);
        bytes[length++] = (byte) value;
        return this;
    }

    CopyBinary raw(byte[] data) {
        room(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
        return this;
    }

    private void put32(int value) {
        bytes[length++] = (byte) (value >> 24);
        bytes[length++] = (byte) (value >> 16);
        bytes[length++] = (byte) (value >> 8);
        bytes[length++] = (byte) value;
    }

    private void put64(long value) {
        put32((int) (value >> 32));
        put32((int) value);
    }

    private void room(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }
}
