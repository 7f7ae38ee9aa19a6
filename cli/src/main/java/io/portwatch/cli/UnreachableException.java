package io.portwatch.cli;

/**
 * No usable answer from the collector: the connection failed or timed out, or what answered is not
 * the API (not JSON, too large). Exit code {@link Exit#UNREACHABLE}.
 */
final class UnreachableException extends RuntimeException {

    UnreachableException(String message) {
        super(message);
    }
}
