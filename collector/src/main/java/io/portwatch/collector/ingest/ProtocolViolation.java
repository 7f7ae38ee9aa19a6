package io.portwatch.collector.ingest;

/** The agent sent something the protocol does not allow; the stream is failed with this message. */
public class ProtocolViolation extends RuntimeException {
    public ProtocolViolation(String message) {
        super(message);
    }
}
