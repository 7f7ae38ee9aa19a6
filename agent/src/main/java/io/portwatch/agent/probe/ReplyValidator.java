package io.portwatch.agent.probe;

import java.nio.ByteBuffer;

/**
 * Decides whether a UDP datagram is an answer to what was sent. A reply proves that something
 * answered; only a reply that validates proves the protocol answered, so a probe that gets nothing
 * but invalid replies is never reported OPEN (it ends OPEN_FILTERED / INVALID_REPLY).
 */
@FunctionalInterface
public interface ReplyValidator {

    /** Accepts any datagram: the default, for payloads whose answers are not checked. */
    ReplyValidator ANY = (sent, reply) -> true;

    /**
     * Called on the selector thread, so it must be fast and must not block.
     *
     * @param sent the payload that was sent; must not be modified
     * @param reply the datagram received, read-only, positioned at its first byte; valid only during
     *     this call (the buffer is reused for the next datagram)
     * @return true if {@code reply} is a valid answer to {@code sent}
     */
    boolean accepts(byte[] sent, ByteBuffer reply);

    /**
     * A short description of an accepted reply for the result detail (e.g. the DNS response
     * code), or empty. Same threading and buffer rules as {@link #accepts}.
     */
    default String describe(byte[] sent, ByteBuffer reply) {
        return "";
    }
}
