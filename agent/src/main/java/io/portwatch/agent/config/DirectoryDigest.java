package io.portwatch.agent.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 over what one read of a check directory saw: the directory, and each check file's name
 * and bytes (or that it could not be read), in the loader's order. Equal digests mean the files
 * are the same, so parsing them again would give the same result. By content, not modification
 * times: a ConfigMap update swaps symbolic links, and an edit within a clock tick keeps the time.
 */
public final class DirectoryDigest {

    private final byte[] sha256;

    private DirectoryDigest(byte[] sha256) {
        this.sha256 = sha256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectoryDigest d && MessageDigest.isEqual(sha256, d.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(sha256);
    }

    static final class Builder {
        private final MessageDigest digest;

        Builder(Path dir) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
            text(dir.toString());
        }

        void add(Path file, byte[] bytes) {
            text(file.getFileName().toString());
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).flip());
            digest.update(bytes);
        }

        void unreadable(Path file) {
            text(file.getFileName().toString());
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(-1).flip());
        }

        DirectoryDigest build() {
            return new DirectoryDigest(digest.digest());
        }

        /** Length-prefixed, so that no two sequences of names and contents feed the same bytes. */
        private void text(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).flip());
            digest.update(bytes);
        }
    }
}
