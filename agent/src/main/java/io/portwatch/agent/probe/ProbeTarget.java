package io.portwatch.agent.probe;

import java.time.Duration;

/**
 * What {@link ProbeRunner} needs to run one probe: the target as written (a host name or an IP
 * literal), the port, the address family to pick, the timeout and the protocol's options. A
 * check instance ({@code config.CheckInstance}) is one; the probe package does not know check
 * files, so the dependency runs from config to probe only.
 */
public interface ProbeTarget {

    /** A host name or an IP literal, as written in the check. */
    String target();

    int port();

    AddressFamily family();

    Duration timeout();

    /** The protocol and its options (TCP send, banner, TLS; UDP payload and retries). */
    ProbeSpec probe();
}
