package io.portwatch.agent.probe;

/** Which address family a target's name may resolve to: pin a dual-stack host to one family. */
public enum AddressFamily {
    /** The first address the resolver returns. */
    ANY,
    IPV4,
    IPV6
}
