package io.portwatch.agent.probe;

import io.portwatch.core.check.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One probe to run: a resolved address, the protocol, the deadline and what to exchange.
 *
 * @param payload UDP: the datagram (empty sends an empty datagram); TCP: bytes written after the
 *     connect (and after the TLS handshake), empty for none
 * @param retries UDP: re-sends spread evenly inside the timeout (2: sends at 0, t/3, 2t/3)
 * @param validator UDP: which datagrams count as an answer to {@code payload}
 * @param expectBanner TCP: a regex the first bytes received must match (found anywhere in them,
 *     decoded as ISO-8859-1 so any byte is one char), or null for no banner check
 * @param tls TCP: run a TLS handshake after the connect
 * @param serverName TCP with TLS: the name for SNI and certificate verification (a host name or an
 *     IP literal); null means the probed IP address
 * @param tlsMinDays TCP with TLS: a certificate whose notAfter is within this many days is
 *     CERT_EXPIRING; 0 for no check
 */
public record ProbeRequest(
        Protocol protocol,
        InetSocketAddress address,
        Duration timeout,
        byte[] payload,
        int retries,
        ReplyValidator validator,
        Pattern expectBanner,
        boolean tls,
        String serverName,
        int tlsMinDays) {

    public static final int DEFAULT_RETRIES = 2;

    public ProbeRequest {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(timeout, "timeout");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0: " + retries);
        }
        if (tlsMinDays < 0) {
            throw new IllegalArgumentException("tlsMinDays must be >= 0: " + tlsMinDays);
        }
        payload = payload == null ? new byte[0] : payload;
        validator = validator == null ? ReplyValidator.ANY : validator;
    }

    /** The original four-field form: UDP with the default retries and any reply valid. */
    public ProbeRequest(Protocol protocol, InetSocketAddress address, Duration timeout, byte[] payload) {
        this(protocol, address, timeout, payload, DEFAULT_RETRIES, null, null, false, null, 0);
    }

    /** A plain TCP connect probe. */
    public static ProbeRequest tcp(InetSocketAddress address, Duration timeout) {
        return new ProbeRequest(Protocol.TCP, address, timeout, null);
    }

    /** A UDP probe sending {@code payload}, any reply valid, {@value #DEFAULT_RETRIES} retries. */
    public static ProbeRequest udp(InetSocketAddress address, Duration timeout, byte[] payload) {
        return new ProbeRequest(Protocol.UDP, address, timeout, payload);
    }

    public ProbeRequest withPayload(byte[] newPayload) {
        return new ProbeRequest(protocol, address, timeout, newPayload, retries, validator, expectBanner, tls,
                serverName, tlsMinDays);
    }

    public ProbeRequest withRetries(int newRetries) {
        return new ProbeRequest(protocol, address, timeout, payload, newRetries, validator, expectBanner, tls,
                serverName, tlsMinDays);
    }

    public ProbeRequest withValidator(ReplyValidator newValidator) {
        return new ProbeRequest(protocol, address, timeout, payload, retries, newValidator, expectBanner, tls,
                serverName, tlsMinDays);
    }

    public ProbeRequest withExpectBanner(Pattern banner) {
        return new ProbeRequest(protocol, address, timeout, payload, retries, validator, banner, tls, serverName,
                tlsMinDays);
    }

    /** TLS after the connect, verifying the certificate for {@code name} (null: the IP address). */
    public ProbeRequest withTls(String name) {
        return new ProbeRequest(protocol, address, timeout, payload, retries, validator, expectBanner, true, name,
                tlsMinDays);
    }

    /** With TLS: a certificate expiring within {@code days} days is CERT_EXPIRING (0: no check). */
    public ProbeRequest withTlsMinDays(int days) {
        return new ProbeRequest(protocol, address, timeout, payload, retries, validator, expectBanner, tls, serverName,
                days);
    }

    /** What the TLS certificate must be valid for. */
    public String tlsPeerName() {
        return serverName != null ? serverName : address.getAddress().getHostAddress();
    }

    /** True when a TCP probe does more than connect. */
    public boolean exchanges() {
        return tls || payload.length > 0 || expectBanner != null;
    }
}
