package io.portwatch.collector.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A newly issued secret: the plaintext is shown to its owner once and never stored; the database
 * keeps only {@link #hash()} and {@link #hint()}. Secrets are 256 random bits, so a single SHA-256
 * is enough to store them (a slow password hash protects guessable secrets, and these are not).
 */
public record IssuedSecret(String plaintext, byte[] hash, String hint) {

    /** Random bytes per secret. */
    private static final int ENTROPY_BYTES = 32;
    /** Characters after the prefix kept as a hint, so that lists can tell keys apart. */
    private static final int HINT_CHARS = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static IssuedSecret issue(SecretKind kind) {
        byte[] random = new byte[ENTROPY_BYTES];
        RANDOM.nextBytes(random);
        String plaintext = kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return new IssuedSecret(plaintext, hash(plaintext), hintOf(plaintext, kind));
    }

    /** The stored form of a presented secret: compare hashes, never plaintexts. */
    public static byte[] hash(String presented) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(presented.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The prefix and the first few characters: enough to recognise a secret in a list, useless to guess it. */
    public static String hintOf(String plaintext, SecretKind kind) {
        int end = Math.min(plaintext.length(), kind.prefix().length() + HINT_CHARS);
        return plaintext.substring(0, end) + "…";
    }

    @Override
    public String toString() {
        return "IssuedSecret[" + hint + "]"; // never the plaintext, e.g. in a log line
    }
}
