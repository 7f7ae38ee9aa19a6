package io.portwatch.collector.inventory;

import java.time.Instant;

/**
 * A listening socket as the API shows it.
 *
 * @param scope {@code wildcard} (every address of the host), {@code loopback} (the host only) or
 *     {@code address} (one address)
 * @param pid null when the agent could not see the process (not root, another user's process)
 * @param goneAt null while the agent still lists it
 */
public record ListeningSocketView(String proto, String address, int port, String scope, long uid, Long pid,
        String command, Instant appearedAt, Instant goneAt) {}
