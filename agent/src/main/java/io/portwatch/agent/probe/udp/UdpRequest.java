package io.portwatch.agent.probe.udp;

import io.portwatch.agent.probe.ReplyValidator;
import java.util.Objects;

/** A datagram to send and how to recognise an answer to it. */
public record UdpRequest(byte[] payload, ReplyValidator validator) {

    public UdpRequest {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(validator, "validator");
    }
}
