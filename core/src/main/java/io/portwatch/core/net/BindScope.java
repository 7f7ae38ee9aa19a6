package io.portwatch.core.net;

/** Where a listening socket can be reached from, by the address it is bound to. */
public enum BindScope {
    /** {@code 0.0.0.0} or {@code ::} (or {@code ::ffff:0.0.0.0}): every address of the host. */
    WILDCARD,
    /** {@code 127.0.0.0/8}, {@code ::1} or {@code ::ffff:127.x.y.z}: only from this host. */
    LOOPBACK,
    /** One address of the host, reachable from wherever that address is routed. */
    ADDRESS;

    /** The scope of a socket bound to the 4- or 16-byte address {@code a}. */
    public static BindScope of(byte[] a) {
        boolean mapped = IpText.mappedV4(a);
        int v4 = a.length == 4 ? 0 : mapped ? 12 : -1;
        if (v4 >= 0) {
            if ((a[v4] | a[v4 + 1] | a[v4 + 2] | a[v4 + 3]) == 0) {
                return WILDCARD;
            }
            return a[v4] == 127 ? LOOPBACK : ADDRESS;
        }
        boolean zero = true;
        for (int i = 0; i < 15; i++) {
            zero &= a[i] == 0;
        }
        if (zero && a[15] == 0) {
            return WILDCARD;
        }
        return zero && a[15] == 1 ? LOOPBACK : ADDRESS;
    }
}
