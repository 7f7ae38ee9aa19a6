package io.portwatch.collector.ingest;

import io.portwatch.proto.v1.CollectorMessage;
import io.portwatch.proto.v1.Reject;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent sent something the protocol does not allow; the stream is failed with this message
 * (INVALID_ARGUMENT), after the agent is told the same in a {@link Reject}.
 */
public class ProtocolViolation extends RuntimeException {

    private final List<CollectorMessage> before;

    public ProtocolViolation(String message) {
        this(message, List.of());
    }

    private ProtocolViolation(String message, List<CollectorMessage> before) {
        super(message);
        this.before = before;
    }

    /** The same refusal, after {@code acks} for what was stored ahead of the refused message. */
    ProtocolViolation after(List<CollectorMessage> acks) {
        return new ProtocolViolation(getMessage(), acks);
    }

    /** What the agent is sent before the call fails: the acks of what was stored, then the Reject. */
    List<CollectorMessage> replies() {
        List<CollectorMessage> out = new ArrayList<>(before);
        out.add(CollectorMessage.newBuilder().setReject(Reject.newBuilder().setReason(getMessage())).build());
        return out;
    }
}
