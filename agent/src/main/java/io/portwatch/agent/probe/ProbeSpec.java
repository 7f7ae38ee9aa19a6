package io.portwatch.agent.probe;

import io.portwatch.core.check.Protocol;
import java.util.Objects;

/** Protocol-specific probe settings of a check instance. */
public sealed interface ProbeSpec {

    /**
     * TCP connect, optionally followed by a TLS handshake ({@code tls}), sending {@code send}
     * (null: nothing) and matching the first bytes received against the regex
     * {@code expectBanner} (null: no banner check). {@code tlsMinDays} (with TLS only; 0: not
     * checked) makes a certificate that expires within that many days a CERT_EXPIRING result.
     */
    record Tcp(String send, String expectBanner, boolean tls, int tlsMinDays) implements ProbeSpec {
        public static final Tcp CONNECT_ONLY = new Tcp(null, null, false);
        /** The check-file limit on tls_min_days: ten years. */
        public static final int MAX_TLS_MIN_DAYS = 3650;

        public Tcp {
            if (tlsMinDays < 0 || tlsMinDays > MAX_TLS_MIN_DAYS || (tlsMinDays > 0 && !tls)) {
                throw new IllegalArgumentException("tlsMinDays must be 0, or 1-" + MAX_TLS_MIN_DAYS + " with tls: "
                        + tlsMinDays);
            }
        }

        public Tcp(String send, String expectBanner, boolean tls) {
            this(send, expectBanner, tls, 0);
        }
    }

    /** A UDP datagram probe: the payload, and how many times it is re-sent within the timeout. */
    record Udp(UdpPayload payload, int retries) implements ProbeSpec {
        public static final int DEFAULT_RETRIES = 2;

        public Udp {
            Objects.requireNonNull(payload, "payload");
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be >= 0");
            }
        }
    }

    /** What a check instance does when its file says nothing more than the protocol and port. */
    static ProbeSpec defaultFor(Protocol protocol, int port) {
        return switch (protocol) {
            case TCP -> Tcp.CONNECT_ONLY;
            case UDP -> new Udp(UdpPayload.defaultFor(port), Udp.DEFAULT_RETRIES);
        };
    }
}
