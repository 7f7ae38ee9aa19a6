package io.portwatch.agent.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks a host name up; blocking. The seam tests use to count and script lookups. */
@FunctionalInterface
public interface HostResolver {

    /** The JDK resolver (hosts file, then DNS), with the JDK's own cache underneath. */
    HostResolver SYSTEM = InetAddress::getAllByName;

    /** All addresses of {@code host}, in the resolver's order; never empty. */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
