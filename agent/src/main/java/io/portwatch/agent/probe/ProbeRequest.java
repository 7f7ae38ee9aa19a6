package io.portwatch.agent.probe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One probe to run: a resolved address, the protocol and the deadline. For UDP, {@code payload} is
 * the datagram to send (empty sends an empty datagram).
 */
public record ProbeRequest(Protocol protocol, InetSocketAddress address, Duration timeout, byte[] payload) {

    public ProbeRequest {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        payload = payload == null ? new byte[0] : payload;
    }

    public static ProbeRequest tcp(InetSocketAddress address, Duration timeout) {
        return new ProbeRequest(Protocol.TCP, address, timeout, null);
    }

    public static ProbeRequest udp(InetSocketAddress address, Duration timeout, byte[] payload) {
        return new ProbeRequest(Protocol.UDP, address, timeout, payload);
    }
}
